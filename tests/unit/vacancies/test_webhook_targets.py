"""Each delivery resolves the host again, checks it, and connects to the address checked."""

import ipaddress

import httpx
from standardwebhooks import Webhook

from services.vacancies.adapters.feed_tables import FeedEntryRow, SubscriptionRow
from services.vacancies.domain.addresses import AddressPolicy
from services.vacancies.domain.signature import new_secret
from services.vacancies.service_layer.webhooks import WebhookDelivery


def resolving_to(*addresses: str):
    async def resolve(host: str, port: int) -> list:
        return [ipaddress.ip_address(a) for a in addresses]

    return resolve


def delivery(resolve) -> WebhookDelivery:
    # engine and metrics are not touched by one attempt
    return WebhookDelivery(None, None, None, 5.0, 1.0, AddressPolicy(), resolve)  # type: ignore[arg-type]


SUB = SubscriptionRow(
    id="sub_1",
    region="D2N2",
    url="https://hooks.example.org:8443/feed",
    secret=new_secret(),
    cursor=0,
)
ENTRY = FeedEntryRow(seq=7, region="D2N2", vacancy_id="V1", owner_la="E06000015", body='{"a":1}')


async def attempt(resolve) -> tuple[str | None, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        error = await delivery(resolve)._post(client, SUB, ENTRY)
    return error, sent


async def test_a_host_that_now_resolves_to_a_private_address_gets_nothing():
    error, sent = await attempt(resolving_to("10.0.0.7"))
    assert sent == [] and error == "refused: the host resolves to a private address"
    error, sent = await attempt(resolving_to("93.184.215.14", "169.254.169.254"))
    assert sent == [] and error is not None and "link-local" in error


async def test_a_delivery_goes_to_the_address_checked_under_the_subscribers_name():
    error, sent = await attempt(resolving_to("93.184.215.14"))
    assert error is None and len(sent) == 1
    request = sent[0]
    assert request.url.host == "93.184.215.14" and request.url.port == 8443
    assert request.headers["host"] == "hooks.example.org:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.org"  # TLS checks the name
    headers = dict(request.headers)
    assert headers["webhook-id"] == "sub_1_7"
    assert Webhook(SUB.secret).verify(request.content, headers) == {"a": 1}

"""The operators' CLI refuses a bad return or LA code with a message and exit 1, no traceback."""

from pathlib import Path

from typer.testing import CliRunner

from sufficiency.cli import app

HEADER = "CHILD,SEX,DOB,ETHNIC\r\nA1,1,15/05/2012,WBRI\r\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\r\nA1,01/06/2024,S,C2,N1,U4,PR1,,\r\n"
)


def test_import_903_refuses_a_semicolon_file_and_an_unknown_year_with_exit_1(tmp_path: Path):
    (tmp_path / "h.csv").write_text(HEADER)
    (tmp_path / "semi.csv").write_text(EPISODES.replace(",", ";"))
    (tmp_path / "e.csv").write_text(EPISODES)
    runner, data = CliRunner(), ["--data-dir", str(tmp_path / "data")]
    for episodes, extra, words in (
        ("semi.csv", [], "separated by ';'"),
        ("e.csv", ["--year", "9999"], "collection year 9999"),
        ("e.csv", ["--la", "W06000015"], "not the code of an English local authority"),
    ):
        la = [] if "--la" in extra else ["--la", "E06000015"]
        args = ["import-903", str(tmp_path / "h.csv"), str(tmp_path / episodes), *la, *extra]
        result = runner.invoke(app, [*args, *data])
        assert result.exit_code == 1, result.output
        assert words in " ".join(result.output.split()) and "nothing was stored" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "data").exists()  # no store was even opened


def test_keys_create_refuses_a_code_that_is_not_an_english_la(tmp_path: Path):
    result = CliRunner().invoke(app, ["keys", "create", "E07000032", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "not the code of an English local authority" in " ".join(result.output.split())

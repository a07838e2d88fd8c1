"""Pure rules of the supply side: no FastAPI, aiokafka or SQL here."""

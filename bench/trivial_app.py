"""The ceiling for bench/load.py: a trivial FastAPI endpoint on the same stack (uvicorn, same workers)."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Body(BaseModel):
    sender: str
    message: str


@app.post("/webhooks/rest/webhook")
async def echo(body: Body) -> list[dict[str, str]]:
    return [{"recipient_id": body.sender, "text": "ok"}]


@app.get("/readyz")
async def ready() -> dict[str, str]:
    return {"status": "ok"}

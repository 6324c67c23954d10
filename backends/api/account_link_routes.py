"""Account linking: a one-time code from the shop's account page links a Telegram or WhatsApp account.

The shop issues codes for its signed-in buyer; the assistant redeems them and looks links up; either unlinks."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from backends.api.callers import allow
from backends.api.dependencies import get_session, verified_buyer
from backends.db import run_transaction
from backends.api.errors import ApiError, NotFound
from backends.api.request_body import RequestBody
from backends.api.schemas import BuyerProfile
from backends.identity import account_links
from backends.models import Buyer
from backends.models.base import utc_now

router = APIRouter(prefix="/v1/account-links", tags=["account links"])


class LinkCode(BaseModel):
    code: str = Field(..., description="show it to the buyer; it works once, for 10 minutes")
    expires_at: datetime


class RedeemIn(RequestBody):
    code: str = Field(..., min_length=1, max_length=40)
    channel: str = Field(..., description="telegram or whatsapp")
    channel_user_id: str = Field(..., min_length=1, max_length=120, description="the platform's user id")


class Link(BaseModel):
    channel: str
    channel_user_id: str
    buyer: BuyerProfile


class Conflict(ApiError):
    status_code = 409


def _profile(buyer: Buyer) -> BuyerProfile:
    return BuyerProfile(external_id=buyer.external_id, name=buyer.name, company=buyer.company, country=buyer.country,
                        language=buyer.language, currency=buyer.currency)


def _link_error(error: account_links.LinkError) -> ApiError:
    kind = NotFound if error.code == "invalid_code" else Conflict if error.code.startswith("code_") else ApiError
    problem = kind(error.message)
    problem.code = error.code
    return problem


# Writes commit before the answer leaves (a request-scoped session would commit after it,
# and a caller acting on the answer at once could miss the write).


@router.post("/codes", response_model=LinkCode, summary="A one-time link code for the signed-in buyer (shop)",
             dependencies=[allow("shop")])
def new_code(request: Request, buyer: Buyer = Depends(verified_buyer)):
    code, expires_at = run_transaction(request.app.state.session_factory,
                                       lambda session: account_links.issue_code(session, buyer.id, utc_now()))
    return LinkCode(code=code, expires_at=expires_at)


@router.post("/redeem", response_model=Link, summary="Link a messaging account with a code (assistant)",
             dependencies=[allow("assistant")])
def redeem(body: RedeemIn, request: Request):
    def work(session: Session) -> BuyerProfile:
        return _profile(account_links.redeem(session, body.code, body.channel, body.channel_user_id, utc_now()))

    try:
        buyer = run_transaction(request.app.state.session_factory, work)
    except account_links.LinkError as error:
        raise _link_error(error) from None
    return Link(channel=body.channel, channel_user_id=body.channel_user_id, buyer=buyer)


@router.get("/{channel}/{channel_user_id}", response_model=Link, summary="The buyer a messaging account acts for",
            dependencies=[allow("assistant")])
def get_link(channel: str, channel_user_id: str, session: Session = Depends(get_session)):
    buyer = account_links.linked_buyer(session, channel, channel_user_id)
    if buyer is None:
        raise NotFound(f"no linked account {channel}:{channel_user_id}")
    return Link(channel=channel, channel_user_id=channel_user_id, buyer=_profile(buyer))


@router.delete("/{channel}/{channel_user_id}", status_code=204, summary="Unlink a messaging account",
               dependencies=[allow("assistant", "shop")])
def delete_link(channel: str, channel_user_id: str, request: Request):
    if not run_transaction(request.app.state.session_factory,
                           lambda session: account_links.unlink(session, channel, channel_user_id)):
        raise NotFound(f"no linked account {channel}:{channel_user_id}")
    return Response(status_code=204)

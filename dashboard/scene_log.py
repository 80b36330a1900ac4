"""A log of the scene machinery's decisions, for diagnosing a race in the browser tests
(IK_SCENE_LOG=1 in the server's environment; silent otherwise). Stepping through
scenes faster than pages switch sends reruns out of order; which run set the address
cannot be told after the fact without it."""

from __future__ import annotations

import logging
import os

import streamlit as st

_log = logging.getLogger("integreringskart.scenes")
ENABLED = os.environ.get("IK_SCENE_LOG") == "1"
if ENABLED:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(relativeCreated)d scenes %(message)s"))
    _log.addHandler(_handler)
    _log.setLevel(logging.DEBUG)
    _log.propagate = False


def note(event: str, **details) -> None:
    """One decision, with the run's address and the session's scene state."""
    if ENABLED:
        state = st.session_state
        _log.debug("run %s %s %s | scene=%s scener=%s | index=%s switch=%s goto=%s",
                   state.get("_scene_log_run"), event, " ".join(f"{k}={v}" for k, v in details.items()),
                   st.query_params.get("scene"), (st.query_params.get("scener") or "")[:6],
                   state.get("scene_index"), state.get("_scene_switch"), state.get("_goto_scene"))


def new_run(page: str | None) -> None:
    if ENABLED:
        st.session_state["_scene_log_run"] = st.session_state.get("_scene_log_run", 0) + 1
        note("start", page=page)

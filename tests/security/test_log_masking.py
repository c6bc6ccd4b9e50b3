"""lifebot.privacy's log masking: any handler, any level, message arguments and tracebacks alike."""

from __future__ import annotations

import io
import logging
import logging.config

import yaml

from lifebot.settings import ROOT

PHONE, ID_NUMBER = "13957712468", "320281198807154321"


def test_records_from_bot_logging_yml_are_masked_in_message_and_traceback():
    previous = logging.getLogRecordFactory()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # added after the configuration, as coloredlogs does
    logger = logging.getLogger("rasa.core.processor.test")
    try:
        logging.config.dictConfig(yaml.safe_load((ROOT / "bot" / "logging.yml").read_text(encoding="utf-8")))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.debug("Received user message '%s' with intent '%s'", f"电话{PHONE}", "inform")
        try:
            raise ValueError(f"bad id {ID_NUMBER}")
        except ValueError:
            logger.exception("failed for %(who)s", {"who": ID_NUMBER})
    finally:
        logger.removeHandler(handler)
        logging.setLogRecordFactory(previous)
    out = stream.getvalue()
    assert PHONE not in out and ID_NUMBER not in out
    assert "电话139****2468" in out and "bad id 320281********4321" in out and "failed for 320281" in out

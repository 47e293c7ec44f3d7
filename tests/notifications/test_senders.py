"""The pieces of the senders that are pure functions: DingTalk's signature, the masks."""

from notifications.models import mask_secret, mask_url
from notifications.services.senders import dingtalk_sign, webhook_signature


def test_the_dingtalk_signature_matches_a_published_value():
    # base64(HMAC-SHA256(key="secret", "1700000000000\nsecret")), URL-encoded, as DingTalk's documentation computes it.
    assert dingtalk_sign("secret", 1700000000000) == "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"


def test_the_webhook_signature_is_the_hex_hmac_of_the_raw_body():
    assert webhook_signature("k", b"{}") == "sha256=add853b103fbcc936a194f9eb15e29c4ff08af6e47d5d1bca4f20218e31e4fff"


def test_secrets_and_address_tokens_are_masked():
    assert mask_secret("SEC0123456789a1b2") == "SEC…a1b2"
    assert mask_secret("short") == "…"
    assert mask_secret("") == ""
    assert mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa") == (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693…5aaa"
    )

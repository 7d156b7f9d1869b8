"""The pure parts of push notifications: signatures, retry delays, and which URLs are refused."""
import hashlib
import hmac

import pytest

from citations.callbacks import callback_url_problem, retry_delay, signature, signature_valid


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    expected = hmac.new(b"s3cret", b"1700000000.{\"a\":1}", hashlib.sha256).hexdigest()
    assert signature(secret="s3cret", timestamp=1700000000, body=b'{"a":1}') == f"sha256={expected}"


def test_a_changed_body_timestamp_or_secret_fails_the_check():
    good = signature(secret="k", timestamp=1, body=b"x")
    assert signature_valid(secret="k", timestamp=1, body=b"x", given=good)
    assert not signature_valid(secret="k", timestamp=2, body=b"x", given=good)
    assert not signature_valid(secret="k", timestamp=1, body=b"y", given=good)
    assert not signature_valid(secret="j", timestamp=1, body=b"x", given=good)


def test_retries_back_off_exponentially_up_to_a_cap():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(40) == 6 * 60 * 60


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.9", "172.16.5.5", "169.254.169.254", "::1",
                                     "fe80::1", "fd00::1", "0.0.0.0", "100.64.0.1"])
def test_hosts_resolving_inside_a_network_are_refused(address):
    problem = callback_url_problem("https://hooks.example/cb", allow_private=False, resolve=lambda host, port: [address])
    assert problem and "private, loopback or link-local" in problem


def test_a_public_https_host_is_accepted():
    assert callback_url_problem("https://hooks.example/cb", allow_private=False, resolve=lambda h, p: ["93.184.216.34"]) is None


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    assert callback_url_problem("https://x.example/", allow_private=False, resolve=lambda h, p: ["93.184.216.34", "10.0.0.1"])


def test_plain_http_is_refused_unless_private_addresses_are_allowed():
    assert "must use https" in callback_url_problem("http://hooks.example/", allow_private=False, resolve=lambda h, p: ["93.184.216.34"])
    assert callback_url_problem("http://127.0.0.1:8000/cb", allow_private=True) is None


@pytest.mark.parametrize("url", ["ftp://x.example/", "https://", "not a url", "https://[::1"])
def test_what_is_not_an_http_url_is_refused_saying_so(url):
    assert callback_url_problem(url, allow_private=True)

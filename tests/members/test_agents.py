"""Agents: a member admin authorises another member to deposit and/or retrieve for it; the agent's
users and keys then do exactly that for the member's DOIs, until revoked."""
import pytest
from django.urls import reverse

from deposits.models import Deposit, Work
from deposits.services import deposit_process
from members.access import agent_allows, may_act_for
from members.models import AgentGrant, APIKey, Role
from members.services import agent_grant, api_key_create
from tests.builders import PASSWORD, member_with_admin, user_in
from tests.deposits.test_servlet import deposit_xml, log_of, post_deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(db):
    return member_with_admin("Hosting Platform", "10.7777", "admin@platform.example")


def test_admin_authorises_an_agent_by_prefix_and_revokes_it_on_the_page(client, press, platform):
    client.force_login(press[1])
    url = reverse("members:agents", args=[press[0].pk])
    answer = client.post(url, {"agent": "10.7777", "scopes": ["deposit", "retrieve"]}, follow=True)
    assert "Hosting Platform may now deposit and retrieve cited-by lists for Cited Press." in answer.content.decode()
    grant = AgentGrant.objects.get()
    assert (grant.principal, grant.agent, grant.scopes, grant.granted_by) == (press[0], platform[0], ["deposit", "retrieve"], press[1])
    answer = client.post(reverse("members:revoke_agent", args=[press[0].pk, grant.pk]), follow=True)
    assert "no longer an agent" in answer.content.decode()
    assert not AgentGrant.objects.exists()


def test_an_unknown_agent_is_refused_naming_what_was_given(client, press):
    client.force_login(press[1])
    answer = client.post(reverse("members:agents", args=[press[0].pk]), {"agent": "10.4242", "scopes": ["retrieve"]})
    assert answer.status_code == 400 and "No member has the number or prefix “10.4242”." in answer.content.decode()


def test_a_member_cannot_be_its_own_agent(client, press):
    client.force_login(press[1])
    answer = client.post(reverse("members:agents", args=[press[0].pk]), {"agent": "10.5555", "scopes": ["retrieve"]})
    assert answer.status_code == 400 and "cannot be its own agent" in answer.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.DEPOSITOR])
def test_only_admins_manage_agents(client, press, platform, role):
    client.force_login(user_in(press[0], f"{role}@cited-press.example", role))
    assert client.post(reverse("members:agents", args=[press[0].pk]), {"agent": "10.7777", "scopes": ["retrieve"]}).status_code == 404
    assert not AgentGrant.objects.exists()


def test_an_admin_cannot_revoke_another_members_grant(client, press, society, platform):
    grant = agent_grant(principal=society[0], agent=platform[0], scopes=["retrieve"], granted_by=None)
    client.force_login(press[1])
    assert client.post(reverse("members:revoke_agent", args=[press[0].pk, grant.pk])).status_code == 404
    assert AgentGrant.objects.filter(pk=grant.pk).exists()


def test_grants_are_one_way_and_per_scope(press, platform):
    agent_grant(principal=press[0], agent=platform[0], scopes=["deposit"], granted_by=None)
    assert agent_allows(agent=platform[0], principal=press[0], scope="deposit")
    assert not agent_allows(agent=platform[0], principal=press[0], scope="retrieve")
    assert not may_act_for(press[0], platform[0], "deposit")  # the principal does not act for its agent


def test_an_agent_deposits_for_its_principal_through_the_servlet(client, press, platform):
    agent_grant(principal=press[0], agent=platform[0], scopes=[AgentGrant.Scope.DEPOSIT], granted_by=press[1])
    key = api_key_create(member=platform[0], name="platform", scopes=[APIKey.Scope.DEPOSIT], created_by=None)
    assert post_deposit(client, key.key.key_id, key.token, content=deposit_xml(doi="10.5555/by.agent")).status_code == 200
    deposit = Deposit.objects.get()
    assert (deposit.member, deposit.agent) == (press[0], platform[0])
    deposit_process(deposit_id=deposit.pk)
    assert Work.objects.get(doi="10.5555/by.agent").owner == press[0]
    # The agent reads the log of what it sent.
    assert b'status="completed"' in log_of(client, key.key.key_id, key.token, doi_batch_id="batch-servlet-1").content


@pytest.mark.parametrize("scopes", [None, [AgentGrant.Scope.RETRIEVE]])
def test_without_a_deposit_grant_the_records_are_refused_as_another_members(client, press, platform, scopes):
    if scopes:
        agent_grant(principal=press[0], agent=platform[0], scopes=scopes, granted_by=None)
    post_deposit(client, platform[1].email, PASSWORD, content=deposit_xml(doi="10.5555/not.allowed"))
    deposit = Deposit.objects.get()
    assert (deposit.member, deposit.agent) == (platform[0], None)
    deposit_process(deposit_id=deposit.pk)
    assert not Work.objects.filter(doi="10.5555/not.allowed").exists()


def test_an_agent_still_deposits_under_its_own_prefixes(client, press, platform):
    agent_grant(principal=press[0], agent=platform[0], scopes=[AgentGrant.Scope.DEPOSIT], granted_by=None)
    post_deposit(client, platform[1].email, PASSWORD, content=deposit_xml(doi="10.7777/own"))
    assert Deposit.objects.get().member == platform[0]


@pytest.mark.parametrize("scopes, sees", [(["retrieve"], True), (["deposit"], False), (None, False)])
def test_an_agents_users_read_the_principals_cited_by_page_only_with_retrieve(client, press, society, platform, scopes, sees):
    from tests.citations.cited_by_builders import link, work

    cited = work(press[0], "10.5555/cited.by.agent")
    link(cited, work(society[0], "10.6666/citing.article", title="An article citing it"))
    if scopes:
        agent_grant(principal=press[0], agent=platform[0], scopes=scopes, granted_by=press[1])
    client.force_login(platform[1])

    page = client.get(reverse("citations:cited_by", args=[cited.doi]))

    assert ("An article citing it" in page.content.decode()) is sees
    # Reading is all a grant gives: the principal's dashboard stays its own.
    assert client.get(reverse("citations:dashboard", args=[press[0].pk])).status_code == 404

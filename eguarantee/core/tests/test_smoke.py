import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_shows_the_portal_entries(client):
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    for entry in ("保函申请", "保函查验", "保函索赔", "注册", "登录"):
        assert entry in text


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_platform_admin_sees_the_back_office_menu(client_for):
    response = client_for("platform_admin").get(reverse("core:dashboard"))
    text = response.content.decode()
    assert "用户管理" in text and "新账号审批" in text
    assert "操作日志" not in text  # the auditor's page, not the system administrator's

"""User and org management for org admins, within their subtree (/manage/people/, /manage/orgs/), and one's own
password. Thin: access helper → form → service → page.

Who: an admin manages the users and orgs of their own org and its descendants. An org outside that subtree is a 404;
a reporter or reviewer of the tree gets a 403 that says only admins may do this.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventweek.errors import DomainError
from eventweek.forms_people import (
    ChildOrgForm,
    ImportForm,
    MoveOrgForm,
    OrgForm,
    OrgTitlesImportForm,
    PasswordChangeForm,
    PersonForm,
    ResetForm,
    RoleForm,
    SetPasswordForm,
)
from eventweek.services import org_titles_import, people, people_import
from eventweek.services import orgs as org_services
from eventweek.services.access import (
    get_org_for_admin,
    get_person_for_admin,
    managed_orgs,
    managed_users,
    require_org_admin,
)

T = "eventweek/people/"


def _shown_once(request, title: str, credentials: list, link: str = ""):
    """The page showing new temporary passwords (or a reset link) once: never cached, never shown again."""
    response = render(request, T + "credentials.html", {"title": title, "credentials": credentials, "link": link})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def people_list(request):
    users = managed_users(request.user)
    code = request.GET.get("org", "")
    if code:
        users = users.filter(org=get_org_for_admin(request.user, code))
    return render(request, T + "list.html", {"people": users, "orgs": managed_orgs(request.user), "code": code})


@login_required
def person_new(request):
    orgs = managed_orgs(request.user)
    form = PersonForm(request.POST or None, orgs=orgs, initial={"org": request.user.org_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = people.NewPerson(
            data["username"], data["full_name"], data["org"], data["role"], data["phone"], data["email"]
        )
        try:
            user, password = people.create_user(request.user, person)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return _shown_once(request, _("已创建用户"), [(user, password)])
    return render(request, T + "person_form.html", {"form": form})


@login_required
def person_detail(request, pk):
    person = get_person_for_admin(request.user, pk)
    context = {"person": person, "role_form": RoleForm(initial={"role": person.role}), "reset_form": ResetForm()}
    return render(request, T + "person_detail.html", context)


@login_required
@require_POST
def person_role(request, pk):
    person = get_person_for_admin(request.user, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            people.set_role(request.user, person, form.cleaned_data["role"])
            messages.success(request, _("已修改角色。"))
        except DomainError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请选择有效的角色。"))
    return redirect("eventweek:manage_person", pk=person.pk)


@login_required
@require_POST
def person_deactivate(request, pk):
    person = get_person_for_admin(request.user, pk)
    try:
        people.deactivate_user(request.user, person)
        messages.success(request, _("已停用该用户。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("eventweek:manage_person", pk=person.pk)


@login_required
@require_POST
def person_reset(request, pk):
    person = get_person_for_admin(request.user, pk)
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择重置方式。"))
        return redirect("eventweek:manage_person", pk=person.pk)
    if form.cleaned_data["method"] == "temporary":
        password = people.reset_with_temporary_password(request.user, person)
        return _shown_once(request, _("已设置临时密码"), [(person, password)])
    link = request.build_absolute_uri(people.reset_link(request.user, person))
    return _shown_once(request, _("已生成重置密码链接"), [], link=link)


@login_required
def people_import_page(request):
    require_org_admin(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = people_import.import_users(request.user, form.cleaned_data["file"].read())
        except people_import.UserImportError as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [str(exc)]
        else:
            return _shown_once(request, _("已导入 %(n)d 个用户") % {"n": len(created)}, created)
    return render(request, T + "import.html", {"form": form, "errors": errors})


@login_required
def people_import_template(request):
    require_org_admin(request.user)
    return people_import.UserImportTemplate(request.user.org).response()


def password_reset_confirm(request, uidb64, token):
    """A one-time link from an admin: choose a new password (no sign-in needed)."""
    user = people.user_for_reset_link(uidb64, token)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        people.set_own_password(user, form.cleaned_data["new_password1"])
        messages.success(request, _("密码已设置，请用新密码登录。"))
        return redirect("login")
    return render(request, T + "password_form.html", {"form": form, "title": _("设置新密码")})


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = people.set_own_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("eventweek:dashboard")
    context = {"form": form, "title": _("修改密码"), "required": request.user.must_change_password}
    return render(request, T + "password_form.html", context)


@login_required
def org_list(request):
    return render(request, T + "org_list.html", {"orgs": managed_orgs(request.user)})


@login_required
def org_titles_import_page(request):
    require_org_admin(request.user)
    form = OrgTitlesImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows, changed = org_titles_import.import_org_titles(request.user, form.cleaned_data["file"].read())
        except org_titles_import.OrgTitlesImportError as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [str(exc)]
        else:
            messages.success(
                request, _("已导入 %(rows)d 行，%(n)d 个单位的称号有变化。") % {"rows": rows, "n": changed}
            )
            return redirect("eventweek:manage_orgs")
    return render(request, T + "org_titles_import.html", {"form": form, "errors": errors})


@login_required
def org_titles_template(request):
    require_org_admin(request.user)
    return org_titles_import.OrgTitlesTemplate(request.user.org).response()


@login_required
def org_edit(request, code):
    org = get_org_for_admin(request.user, code)
    form = OrgForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        org = get_org_for_admin(request.user, code)  # the form wrote into its instance: compare against a fresh copy
        org_services.update_org(request.user, org, changes)
        messages.success(request, _("已保存单位信息。"))
        return redirect("eventweek:manage_org", code=org.code)
    return render(request, T + "org_form.html", {"org": org, "form": form})


@login_required
def org_new_child(request, code):
    parent = get_org_for_admin(request.user, code)
    form = ChildOrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            org = org_services.add_child_org(request.user, parent, fields)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已添加下级单位。"))
            return redirect("eventweek:manage_org", code=org.code)
    return render(request, T + "org_new.html", {"parent": parent, "form": form})


@login_required
def org_move(request, code):
    org = get_org_for_admin(request.user, code)
    form = MoveOrgForm(request.POST or None, orgs=managed_orgs(request.user), initial={"parent": org.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            org_services.move_org(request.user, org, form.cleaned_data["parent"])
        except DomainError as exc:
            form.add_error("parent", str(exc))
        else:
            messages.success(request, _("已移动单位。"))
            return redirect("eventweek:manage_org", code=org.code)
    return render(request, T + "org_move.html", {"org": org, "form": form})

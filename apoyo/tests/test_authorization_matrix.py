"""The authorization matrix: every URL of the project, asked as every role, against POLICY.

Each URL pattern of the project's resolver is requested with GET and with an empty POST as
anonymous, each OPL role (of entity 26), the aspirant A, A's auxiliary (the API with its token,
the pages with a session), DERFE, UTVOPL and an INE area user. A URL about an object is asked
twice: with the object of the role's own side (which proves the world's objects are reachable at
all, so a refusal of the foreign one means something) and with SOMEONE ELSE's: an object of
entity 14 for OPL and INE users, of the sibling aspirant S (same office) for the aspirant and the
auxiliary, of another area for the area user (apoyo/testing/world.py builds them all).

Outcomes: "rechazado" is 401, 403, 404, 405 or a redirect to the login or second-factor pages;
"permitido" is any other answer below 500: a 2xx, another redirect, or a 400 or 415 (the view was
reached and judged the empty request). A 500 or an exception is always reported. A refused request must also write nothing to the
database but the bitácora (which records refusals by design) and the session. For roles allowed
to POST the matrix only checks refusals, except on object URLs, where a refusal of an allowed role
is reported too (it would make the foreign check meaningless).

POLICY states the intended rule (apoyo/accounts/policies.py, the apps' policies and scoping), not
what the code happens to do: where they disagree the test fails, and the fix belongs in the
product code. A URL missing from POLICY fails the test, so no new URL goes unreviewed.
"""

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode

from apoyo.testing.capture_app import auth, token_for
from apoyo.testing.world import build_world

# Roles ---------------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ADMIN = "opl_admin"
CAPTURIST = "opl_capturist"
REVIEWER = "opl_reviewer"
ASPIRANT = "aspirant"
AUXILIARY = "auxiliary"
DERFE = "ine_derfe"
UTVOPL = "ine_utvopl"
AREA = "ine_area"

ROLES = (ANONYMOUS, ADMIN, CAPTURIST, REVIEWER, ASPIRANT, AUXILIARY, DERFE, UTVOPL, AREA)
NOBODY = frozenset()
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
OPL = frozenset({ADMIN, CAPTURIST, REVIEWER})
REVIEWERS = frozenset({ADMIN, REVIEWER})  # policies.can_review, can_resolve_hearings
ADMINS = frozenset({ADMIN})  # policies.can_administer
ASPIRANTS = frozenset({ASPIRANT})
AUXILIARIES = frozenset({AUXILIARY})
SIVOPLE = OPL | {DERFE, UTVOPL, AREA}  # policies.can_use_sivople
AREAS = frozenset({AREA, DERFE})  # policies.is_ine_area: DERFE is also an area consultations reach

ALLOWED = "permitido"
REFUSED = "rechazado"
GET_POST = frozenset({"GET", "POST"})
GET_ONLY = frozenset({"GET"})
POST_ONLY = frozenset({"POST"})


# The table ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixed:
    """A URL kwarg given as is (a format, a kind, a bad token), the same for every role."""

    value: str


CSV = Fixed("csv")
BAD_TOKEN = Fixed("clave-no-valida")


@dataclass(frozen=True)
class Rule:
    """Who may reach a URL.

    roles: who may reach it (with the object of their own side, for URLs about an object);
    foreign: who may reach another side's object (another entity's, another aspirant's, another
        area's): nobody, except national INE roles where the app says so;
    post: who may POST, when not the same roles;
    kwargs: each URL kwarg -> the kind of object it names (see `objects`) or a Fixed value;
    methods: the methods of a function view (class-based views say theirs).
    """

    roles: frozenset
    foreign: frozenset = NOBODY
    post: frozenset | None = None
    kwargs: dict = field(default_factory=dict)
    methods: frozenset | None = None

    @property
    def about_an_object(self):
        return any(not isinstance(value, Fixed) for value in self.kwargs.values())

    def allowed(self, method, foreign):
        roles = self.roles if method == "GET" or self.post is None else self.post
        return roles & self.foreign if foreign else roles


def rule(roles, *, foreign=NOBODY, post=None, methods=None, **kwargs):
    return Rule(frozenset(roles), frozenset(foreign), post, kwargs, methods)


PUBLIC = rule(EVERYONE)

POLICY = {
    # Accounts and sign-in. The sign-in, recovery and invitation pages are public; "logout" has
    # only POST (Django's LogoutView); the account pages are every signed-in person's own.
    "home": rule(SIGNED_IN, methods=GET_POST),
    "login": PUBLIC,
    "mfa_verify": rule(SIGNED_IN),
    "logout": PUBLIC,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    # A link with a bad token shows "the link is not valid" to anyone.
    "password_reset_confirm": rule(EVERYONE, foreign=EVERYONE, uidb64="staff_uid", token=BAD_TOKEN),
    "password_reset_complete": PUBLIC,
    "account": rule(SIGNED_IN),
    "password_change": rule(SIGNED_IN),
    "mfa_setup": rule(SIGNED_IN),
    "mfa_recovery_codes": rule(SIGNED_IN),
    "mfa_remove": rule(SIGNED_IN),
    "help": rule(SIGNED_IN),  # the guide of one's own role
    "notifications": rule(SIGNED_IN),
    "notification_open": rule(SIGNED_IN, pk="notification"),  # one's own notices only
    # Staff and accounts of the administrator's own entity (policies.can_manage_staff).
    "user_list": rule(ADMINS),
    "user_create": rule(ADMINS),
    "user_update": rule(ADMINS, pk="staff_user"),
    "user_role": rule(ADMINS, pk="staff_user"),
    "user_password_link": rule(ADMINS, pk="staff_user"),
    "account_list": rule(ADMINS),
    "account_activate": rule(ADMINS, pk="staff_user"),
    "account_deactivate": rule(ADMINS, pk="staff_user"),
    "audit_log": rule(ADMINS),  # policies.can_read_audit_log
    "audit_log_export": rule(ADMINS, fmt=CSV),
    # Capture (policies.can_capture: every OPL role) and the aspirant's portal.
    "supports:dashboard": rule(OPL),
    "supports:capture": rule(OPL),
    "supports:cedula": rule(OPL, pk="cedula"),
    "supports:cedula_warnings": rule(OPL, pk="cedula"),
    "supports:cedula_row": rule(OPL, pk="cedula", support_pk="support"),
    "supports:list": rule(OPL),
    "supports:export": rule(OPL, fmt=CSV),  # what the list shows, with its filters
    "supports:detail": rule(OPL, pk="support"),
    "supports:correct": rule(OPL, pk="support"),
    "supports:withdraw": rule(OPL, pk="support"),
    "supports:inconsistencies": rule(ADMINS),
    "supports:portal": rule(ASPIRANTS),
    "supports:portal_export": rule(ASPIRANTS, fmt=CSV),  # the aspirant's own supports
    "supports:portal_support": rule(ASPIRANTS, pk="support"),
    "supports:precapture_cedulas": rule(ASPIRANTS),
    "supports:precapture_cedula": rule(ASPIRANTS, pk="cedula"),
    "supports:precapture_scans": rule(ASPIRANTS, pk="cedula"),
    "supports:precapture_scan_remove": rule(ASPIRANTS, pk="cedula", scan_pk="scan"),
    # The aspirant's own rows while no revisor has reviewed them (supports/policies.py).
    "supports:precapture_warnings": rule(ASPIRANTS, pk="cedula"),
    "supports:precapture_row": rule(ASPIRANTS, pk="cedula", support_pk="support"),
    "supports:scan": rule(OPL | ASPIRANTS, pk="scan"),  # policies.can_see_scans, scoped
    "supports:scan_page": rule(OPL | ASPIRANTS, pk="scan", number=Fixed("1")),  # as its scan
    # Carga masiva: the OPL's (reverting is the administrator's) and the aspirant's own.
    "uploads:list": rule(OPL),
    "uploads:list_export": rule(OPL, fmt=CSV),
    "uploads:template": rule(OPL | ASPIRANTS, fmt=CSV),  # policies.can_download_template
    "uploads:detail": rule(OPL, pk="upload"),
    "uploads:report": rule(OPL, pk="upload", fmt=CSV),
    "uploads:original": rule(OPL, pk="upload"),
    "uploads:revert": rule(ADMINS, pk="upload"),
    "uploads:retry": rule(OPL, pk="upload"),
    "uploads:aspirant_list": rule(ASPIRANTS),
    "uploads:aspirant_detail": rule(ASPIRANTS, pk="upload"),
    "uploads:aspirant_report": rule(ASPIRANTS, pk="upload", fmt=CSV),
    # Mesa de control (policies.can_review); the panel is the administrator's.
    "review:queue": rule(REVIEWERS),
    "review:queue_export": rule(REVIEWERS, fmt=CSV),
    "review:start": rule(REVIEWERS),
    "review:support": rule(REVIEWERS, pk="support"),
    "review:skip": rule(REVIEWERS, pk="support"),
    "review:leave": rule(REVIEWERS, pk="support"),
    "review:accept": rule(REVIEWERS, pk="support"),
    "review:inconsistency": rule(REVIEWERS, pk="support"),
    "review:confirm": rule(REVIEWERS, pk="support"),
    "review:confirmations": rule(REVIEWERS),
    "review:panel": rule(ADMINS),
    # Processes, offices and aspirants: the administrator's, of their entity. Holidays: the
    # administrator's of the entity, UTVOPL's national ones (policies.can_manage_working_days).
    "processes:index": rule(ADMINS),
    "processes:institute": rule(ADMINS),
    "processes:process_create": rule(ADMINS),
    "processes:detail": rule(ADMINS, pk="process"),
    "processes:process_update": rule(ADMINS, pk="process"),
    "processes:paper_regime": rule(ADMINS, pk="process"),
    "processes:office_create": rule(ADMINS, process_pk="process"),
    "processes:holidays": rule(ADMINS | {UTVOPL}),
    "processes:holiday_delete": rule(ADMINS | {UTVOPL}, pk="holiday"),
    "processes:office_update": rule(ADMINS, pk="office"),
    "retention:index": rule(ADMINS),
    "aspirants:list": rule(ADMINS),
    "aspirants:create": rule(ADMINS),
    "aspirants:update": rule(ADMINS, pk="aspirant"),
    # Results, compulsa, INE route, garantía de audiencia, dictamen (verification/policies.py):
    # every OPL role of the office's entity sees; the administrator acts; revisores and
    # administrators resolve hearing requests; the aspirant sees only their own, in the portal.
    "verification:index": rule(OPL),
    "verification:office": rule(OPL, pk="office"),
    "verification:run_start": rule(ADMINS, pk="office"),
    "verification:export": rule(OPL, pk="office", kind=Fixed("apoyos"), fmt=CSV),
    "verification:ine": rule(ADMINS, pk="office"),
    "verification:ine_export": rule(ADMINS, pk="office"),
    "verification:run": rule(OPL, pk="run"),
    "verification:aspirant": rule(OPL, pk="aspirant"),
    "verification:portal": rule(ASPIRANTS),
    "verification:portal_export": rule(ASPIRANTS, fmt=CSV),
    "verification:hearing_office": rule(OPL, pk="office"),
    "verification:hearing_open": rule(ADMINS, pk="office"),
    # Cancelling or re-dating a window: the entity's administrators (policies.administers).
    "verification:hearing_cancel": rule(ADMINS, pk="window"),
    "verification:hearing_reschedule": rule(ADMINS, pk="window"),
    "verification:hearing_request": rule(OPL, post=REVIEWERS, pk="hearing_request"),
    "verification:hearing_evidence": rule(OPL | ASPIRANTS, pk="evidence"),
    "verification:hearing_portal": rule(ASPIRANTS),
    "verification:hearing_file": rule(ASPIRANTS),
    "verification:hearing_portal_request": rule(ASPIRANTS, pk="hearing_request"),
    "verification:rulings": rule(OPL, pk="office"),
    "verification:ruling_generate": rule(ADMINS, pk="office"),
    "verification:ruling": rule(OPL, pk="ruling"),
    "verification:ruling_pdf": rule(OPL, pk="ruling"),
    # The roll: DERFE only, and national (a cut or an import belongs to no entity, so DERFE
    # reaches the "foreign" one too); the Lista Nominal statistics also for the OPL.
    "roll:imports": rule({DERFE}),
    "roll:import": rule({DERFE}, foreign={DERFE}, pk="roll_import"),
    "roll:import_report": rule({DERFE}, foreign={DERFE}, pk="roll_import", fmt=CSV),
    "roll:import_retry": rule({DERFE}, foreign={DERFE}, pk="roll_import"),
    "roll:cut": rule({DERFE}, foreign={DERFE}, cut_date="cut"),
    "roll:statistics": rule(OPL | {DERFE}),  # policies.can_see_roll_statistics
    # SIVOPLE (liaison/policies.py). UTVOPL is national: it sees and acts on every entity's
    # folios; an area sees what is assigned to it (the home folio is assigned to DEPPP and DERFE);
    # the OPL only its entity's.
    "liaison:inbox": rule(SIVOPLE),
    "liaison:list": rule(SIVOPLE),
    "liaison:export": rule(SIVOPLE, fmt=CSV),
    "liaison:register": rule(OPL),  # can_register
    "liaison:detail": rule(OPL | AREAS | {UTVOPL}, foreign={UTVOPL}, pk="consultation"),
    "liaison:assign": rule({UTVOPL}, foreign={UTVOPL}, pk="consultation"),
    "liaison:follow_up": rule(OPL, pk="consultation"),  # can_follow_up: the registering OPL
    "liaison:close": rule(OPL | {UTVOPL}, foreign={UTVOPL}, pk="consultation"),
    "liaison:reassign": rule({UTVOPL}, foreign={UTVOPL}, pk="assignment"),
    "liaison:answer": rule(AREAS, pk="assignment"),  # can_answer: users of the assigned area
    "liaison:approve": rule(AREAS, pk="answer"),  # can_approve: the area's head
    "liaison:forward": rule({UTVOPL}, foreign={UTVOPL}, pk="answer"),
    "liaison:return": rule({UTVOPL}, foreign={UTVOPL}, pk="answer"),
    "liaison:attachment": rule(OPL | AREAS | {UTVOPL}, foreign={UTVOPL}, pk="attachment"),
    # UTVOPL's national catalogues.
    "liaison:types": rule({UTVOPL}),
    "liaison:type_edit": rule({UTVOPL}, foreign={UTVOPL}, pk="doc_type"),
    "liaison:areas": rule({UTVOPL}),
    "liaison:area": rule({UTVOPL}, foreign={UTVOPL}, pk="area"),
    # Auxiliaries: the OPL's lists of its entity, the aspirant's own, the public invitation link.
    "auxiliaries:opl_list": rule(OPL),
    "auxiliaries:opl_export": rule(OPL, fmt=CSV),
    "auxiliaries:opl_conflicts": rule(OPL),
    "auxiliaries:list": rule(ASPIRANTS),
    "auxiliaries:export": rule(ASPIRANTS, fmt=CSV),  # the aspirant's own auxiliaries
    "auxiliaries:create": rule(ASPIRANTS),
    "auxiliaries:deactivate": rule(ASPIRANTS, pk="auxiliary"),
    # Only deactivating has a confirmation page (GET); the other two actions are POST only.
    "auxiliaries:reactivate": rule(ASPIRANTS, pk="auxiliary", methods=POST_ONLY),
    "auxiliaries:invite": rule(ASPIRANTS, pk="auxiliary", methods=POST_ONLY),
    "auxiliaries:invitation_done": PUBLIC,
    "auxiliaries:invitation": rule(
        EVERYONE, foreign=EVERYONE, uidb64="auxiliary_uid", token=BAD_TOKEN
    ),
    # The capture app's API: for auxiliaries with a token only (a session is not accepted). The
    # login (POST session/, which has no GET), the schema and its documentation are public.
    "api:session": PUBLIC,
    "api:profile": rule(AUXILIARIES),
    "api:supports": rule(AUXILIARIES),
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    # The app shell is the same for everybody; a photo is for the OPL of its entity, its aspirant
    # and the auxiliary who took it (image_views.visible_image).
    "capture_app:shell": rule(EVERYONE, methods=GET_ONLY),
    "capture_app:manifest": rule(EVERYONE, methods=GET_ONLY),
    "capture_app:sw": rule(EVERYONE, methods=GET_ONLY),
    "capture_app:image": rule(OPL | ASPIRANTS | AUXILIARIES, pk="image"),
    # The consulta ciudadana is public (a citizen has no account); the desconocimientos it
    # receives, with the citizen's contact, are the entity's administrators' (citizens/policies.py).
    "citizens:lookup": PUBLIC,
    "citizens:disown": PUBLIC,
    "citizens:privacy": rule(EVERYONE, methods=GET_ONLY),
    "citizens:reports": rule(ADMINS),
    "citizens:report": rule(ADMINS, pk="citizen_report"),
    # The sampling projection is part of the OPL's results of an aspirant (every OPL role of the
    # entity); drawing the sample is the entity's administrator's (sampling/policies.py).
    "sampling:aspirant": rule(OPL, pk="aspirant"),
    "sampling:draw": rule(ADMINS, pk="aspirant"),
    # Avance público: public pages and open data of any entity's published figures (the world's
    # runs are published); publishing and withdrawing are the run's entity's administrators'
    # (publication/policies.py).
    "publication:index": PUBLIC,
    "publication:office": rule(EVERYONE, foreign=EVERYONE, pk="office"),
    "publication:office_data": rule(EVERYONE, foreign=EVERYONE, pk="office", fmt=CSV),
    "publication:publish": rule(ADMINS, pk="run"),
    "publication:withdraw": rule(ADMINS, pk="run"),
}


# The project's URLs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    name: str
    route: str
    kwargs: tuple
    callback: object


def project_urls(patterns=None, prefix="", namespace=None):
    """Every URL pattern of the project's resolver, in order, with its full name and kwargs.

    django-admin/ is left out: Django's admin guards its own pages (staff users, its own
    permissions) and its URLs are Django's, not the project's."""
    urls = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("django-admin/"):
                continue
            inner = pattern.namespace or namespace
            urls += project_urls(pattern.url_patterns, route, inner)
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        kwargs = tuple(pattern.pattern.regex.groupindex)
        urls.append(Url(name, route, kwargs, pattern.callback))
    return urls


def view_methods(url, policy_rule):
    """GET and POST, as far as the view has them (a method it lacks answers 405)."""
    if policy_rule.methods is not None:
        return policy_rule.methods
    view_class = getattr(url.callback, "view_class", None)
    if view_class is None:
        return None
    return frozenset(
        method.upper()
        for method in ("get", "post")
        if method in view_class.http_method_names and hasattr(view_class, method)
    )


def review_problems(urls, policy):
    """Why the table cannot be checked: URLs it does not know or knows wrong, and stale rows."""
    problems = []
    seen = set()
    for url in urls:
        if url.name is None:
            problems.append(f"La URL {url.route} no tiene nombre: désele uno y añádala a POLICY.")
            continue
        if url.name in seen:
            problems.append(
                f"El nombre de URL {url.name} se repite: POLICY no distingue entre ellas."
            )
        seen.add(url.name)
        policy_rule = policy.get(url.name)
        if policy_rule is None:
            problems.append(f"Añada la URL {url.name} a POLICY en test_authorization_matrix.py")
            continue
        missing = set(url.kwargs) - set(policy_rule.kwargs)
        unknown = set(policy_rule.kwargs) - set(url.kwargs)
        if missing or unknown:
            problems.append(
                f"La regla de {url.name} no corresponde a los parámetros de la URL "
                f"({', '.join(url.kwargs) or 'ninguno'}): faltan {sorted(missing)}, "
                f"sobran {sorted(unknown)}."
            )
        if view_methods(url, policy_rule) is None:
            problems.append(f"{url.name} es una vista de función: declare methods= en su regla.")
    for name in sorted(set(policy) - seen):
        problems.append(f"POLICY nombra {name}, que ya no es una URL del proyecto: quítela.")
    return problems


# Outcomes ---------------------------------------------------------------------------------------------


def classify(response):
    """ALLOWED or REFUSED, with the status (and where a redirect goes)."""
    status = response.status_code
    if status >= 500:
        return f"error del servidor ({status})"
    if status in (401, 403, 404, 405):
        return f"{REFUSED} ({status})"
    if 300 <= status < 400:
        target = urlsplit(response["Location"]).path
        gates = {reverse("login"), reverse("mfa_verify"), reverse("mfa_setup")}
        verdict = REFUSED if target in gates else ALLOWED
        return f"{verdict} ({status} a {target})"
    return f"{ALLOWED} ({status})"


def disagrees(got, expected, check_allowed=True):
    """Whether an outcome contradicts POLICY: an error always does; a refused role must be
    refused; an allowed one must get through when `check_allowed`."""
    if not got.startswith((ALLOWED, REFUSED)):
        return True
    if expected == REFUSED:
        return not got.startswith(REFUSED)
    return check_allowed and not got.startswith(ALLOWED)


# Writes a refused request may make: its entry in the bitácora (RefusalLogMiddleware), the session
# (the idle-timeout clock, messages), django-axes's log of sign-ins, and the token's last use (an
# auxiliary's token is checked before the API finds it has no such method).
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)
HARMLESS_WRITES = (
    re.compile(
        r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(accounts_accesslog|django_session|axes_\w+)\b',
        re.I,
    ),
    re.compile(
        r'^\s*UPDATE\s+"?accounts_apitoken"?\s+SET\s+"?last_used_at"?\s*=\s*%s\s+WHERE', re.I
    ),
)


class Writes:
    """The SQL writes made on the connection while installed (connection.execute_wrapper), but
    for the harmless ones."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        write = WRITE.match(sql)
        if write and not any(harmless.match(sql) for harmless in HARMLESS_WRITES):
            self.statements.append(f"{write[1].split()[0].upper()} {write[2]}")
        return execute(sql, params, many, context)


# The world's objects, by side -----------------------------------------------------------------------


def uid(user):
    return urlsafe_base64_encode(str(user.pk).encode())


def actors(world):
    """The user who asks as each role (anonymous asks as nobody)."""
    home = world.home
    return {
        ADMIN: home.admin,
        CAPTURIST: home.capturist,
        REVIEWER: home.reviewer,
        ASPIRANT: world.aspirant.user,
        AUXILIARY: world.aspirant.auxiliary.user,
        DERFE: world.derfe,
        UTVOPL: world.utvopl,
        AREA: world.area_user,
    }


def objects(world, role, foreign):
    """The objects of each kind a URL kwarg names, for `role`: of its own side, or someone
    else's: entity 14's; the sibling aspirant S's for the aspirant and the auxiliary; for an INE
    area user, another area's assignment and answer on the very folio they see (the home folio is
    assigned to DEPPP and DERFE), and entity 14's folio, assigned to DEOE."""
    place = world.foreign if foreign else world.home
    if foreign:
        person = world.sibling if role in (ASPIRANT, AUXILIARY) else place.aspirants[0]
        holiday, owner = place.holiday, place.staff
        answering = {AREA: (world.home, "DERFE"), DERFE: (world.home, "DEPPP")}
        folio, area = answering.get(role, (place, "DEOE"))
    else:
        person = world.aspirant
        # Each role's own: DERFE answers for the DERFE area, the area user for DEPPP; UTVOPL
        # keeps the national holidays, an administrator the entity's.
        folio, area = place, "DERFE" if role == DERFE else "DEPPP"
        holiday = world.national_holiday if role == UTVOPL else place.holiday
        owner = actors(world).get(role, place.staff)
    side = 1 if foreign else 0
    return {
        "staff_user": place.staff.pk,
        "staff_uid": uid(place.staff),
        "notification": world.notify(owner).pk,
        "process": place.process.pk,
        "office": place.office.pk,
        "run": place.run.pk,
        "window": place.window.pk,
        "ruling": place.ruling.pk,
        "holiday": holiday.pk,
        "aspirant": person.aspirant.pk,
        "support": person.support.pk,
        "cedula": person.cedula.pk,
        "scan": person.scan.pk,
        "upload": person.upload.pk,
        "image": person.image.pk,
        "auxiliary": person.other_auxiliary.pk,
        "auxiliary_uid": uid(person.other_auxiliary.user),
        "hearing_request": person.hearing_request.pk,
        "evidence": person.evidence.pk,
        "citizen_report": place.citizen_report.pk,
        "consultation": place.consultation.pk,
        "attachment": place.attachment.pk,
        "assignment": folio.assignments[area].pk,
        "answer": folio.answers[area].pk,
        "doc_type": world.doc_types[side].pk,
        "area": world.areas[side].pk,
        "roll_import": world.roll_imports[side].pk,
        "cut": world.cuts[side],
    }


# Asking ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    name: str
    role: str
    method: str
    objects: str
    expected: str
    got: str

    def __str__(self):
        where = f" ({self.objects})" if self.objects else ""
        return (
            f"{self.name}{where} · {self.role} · {self.method}: "
            f"se esperaba {self.expected}, se obtuvo {self.got}"
        )


class Matrix:
    """Asks every URL as every role and keeps every disagreement with POLICY."""

    def __init__(self, world, policy):
        self.world = world
        self.policy = policy
        self.actors = actors(world)
        self.clients = {ANONYMOUS: Client()}
        for role, user in self.actors.items():
            self.clients[role] = Client()
            self.clients[role].force_login(user)
        self.token = auth(token_for(world.aspirant.auxiliary))
        self.sides = {
            (role, foreign): objects(world, role, foreign)
            for role in ROLES
            for foreign in (False, True)
        }
        self.findings = []
        self.requests = 0

    def path(self, url, role, foreign):
        policy_rule = self.policy[url.name]
        kwargs = {}
        for name, kind in policy_rule.kwargs.items():
            kwargs[name] = (
                kind.value if isinstance(kind, Fixed) else self.sides[role, foreign][kind]
            )
        return reverse(url.name, kwargs=kwargs)

    def ask(self, url, role, method, foreign=False):
        """One request; returns what came of it and the writes it made."""
        client = self.clients[role]
        extra = self.token if role == AUXILIARY and url.name.startswith("api:") else {}
        writes = Writes()
        self.requests += 1
        try:
            # In a savepoint: a view that breaks the transaction does not take the run with it.
            with transaction.atomic(), connection.execute_wrapper(writes):
                response = getattr(client, method.lower())(self.path(url, role, foreign), **extra)
        except Exception as error:  # every failure is a finding, not the end of the run
            return f"excepción {type(error).__name__}: {error}"[:300], writes.statements
        if url.name == "logout" and role != ANONYMOUS:
            client.force_login(self.actors[role])
        return classify(response), writes.statements

    def check(self, url, method, foreign=None, check_allowed=True):
        """Ask `url` with `method` as every role (refused roles first, so what an allowed one
        changes comes after); `foreign` None for a URL about no object."""
        policy_rule = self.policy[url.name]
        has_method = method in view_methods(url, policy_rule)
        allowed = policy_rule.allowed(method, bool(foreign)) if has_method else NOBODY
        objects_label = {None: "", False: "objeto propio", True: "objeto ajeno"}[foreign]
        for role in sorted(ROLES, key=lambda role: role in allowed):
            got, writes = self.ask(url, role, method, bool(foreign))
            expected = ALLOWED if role in allowed else REFUSED
            finding = Finding(url.name, role, method, objects_label, expected, got)
            if disagrees(got, expected, check_allowed):
                self.findings.append(finding)
            if role not in allowed and writes:
                changed = ", ".join(sorted(set(writes)))
                self.findings.append(
                    Finding(url.name, role, method, objects_label, "que no cambie nada", changed)
                )

    def run(self, urls):
        """GET, then POST, every URL as every role. A URL about an object is asked with someone
        else's object, and with the role's own where the view has the method (where it has not,
        every role is refused whatever the object). POSTs with one's own objects come last:
        allowed POSTs change things."""
        about_objects = [url for url in urls if self.policy[url.name].about_an_object]
        for url in urls:
            if url not in about_objects:
                self.check(url, "GET")
                continue
            if "GET" in view_methods(url, self.policy[url.name]):
                self.check(url, "GET", foreign=False)
            self.check(url, "GET", foreign=True)
        # For roles allowed to POST only refusals are checked, except on URLs about an object,
        # where an allowed role refused would make the refusal of the foreign object meaningless.
        for url in urls:
            if url in about_objects:
                self.check(url, "POST", foreign=True)
            else:
                self.check(url, "POST", check_allowed=False)
        for url in about_objects:
            if "POST" in view_methods(url, self.policy[url.name]):
                self.check(url, "POST", foreign=False)


def report(findings):
    lines = [str(finding) for finding in findings]
    return f"{len(lines)} discrepancias con POLICY:\n" + "\n".join(lines)


# The tests ------------------------------------------------------------------------------------------

# The refusal pages are drawn as plain text: the matrix reads only their status, and drawing the
# whole page (menu, notices) for each of the two thousand refusals would take a third of the run.
# apoyo/core/tests/test_headers.py checks the real 403 page.
PLAIN_REFUSAL_PAGES = {
    "403.html": "{{ exception }}",
    "404.html": "No encontrado.",
    "liaison/denied.html": "{{ reason }}",
}


def plain_refusal_pages(templates):
    engine = dict(templates[0])
    options = dict(engine["OPTIONS"])
    directories = ["django.template.loaders.filesystem.Loader"]
    if engine.pop("APP_DIRS", False):
        directories.append("django.template.loaders.app_directories.Loader")
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", PLAIN_REFUSAL_PAGES),
        ("django.template.loaders.cached.Loader", directories),
    ]
    engine["OPTIONS"] = options
    return [engine, *templates[1:]]


@pytest.fixture
def quiet_refusals():
    """Django's warning for each of the thousands of refusals, with its traceback, would only
    slow the run (and fill the report of a failure)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
def test_authorization_matrix_every_url_as_every_role(settings, quiet_refusals):
    # Throttles off: the matrix asks the API many times from one address.
    settings.APOYO_API_THROTTLE_RATES = {}
    settings.TEMPLATES = plain_refusal_pages(settings.TEMPLATES)
    urls = project_urls()
    problems = review_problems(urls, POLICY)
    assert not problems, "\n".join(problems)

    matrix = Matrix(build_world(), POLICY)
    matrix.run(urls)

    assert matrix.requests >= 2 * len(urls) * len(ROLES)
    assert not matrix.findings, report(matrix.findings)


def test_authorization_matrix_table_check_reports_what_it_cannot_check():
    """The table check itself: an unknown URL fails with the message that asks to add it, a rule
    that does not match the URL's kwargs and a row of a URL that no longer exists are reported,
    and the outcomes are read as intended."""
    known = project_urls()
    unknown = Url("pruebas:nueva", "nueva/<int:pk>/", ("pk",), known[0].callback)
    policy = dict(POLICY)
    policy["pruebas:vieja"] = rule(ADMINS)
    policy["supports:detail"] = rule(OPL)  # forgets its pk
    problems = review_problems([*known, unknown], policy)
    assert "Añada la URL pruebas:nueva a POLICY en test_authorization_matrix.py" in problems
    assert any(p.startswith("La regla de supports:detail") for p in problems)
    assert any("pruebas:vieja" in p for p in problems)
    assert review_problems(known, POLICY) == []

    assert classify(HttpResponse(status=200)).startswith(ALLOWED)
    assert classify(HttpResponse(status=400)).startswith(ALLOWED)
    assert classify(HttpResponseRedirect("/tablero/")).startswith(ALLOWED)
    assert classify(HttpResponseRedirect("/entrar/?next=/tablero/")).startswith(REFUSED)
    assert classify(HttpResponseRedirect("/entrar/verificar/?next=/")).startswith(REFUSED)
    for status in (401, 403, 404, 405):
        assert classify(HttpResponse(status=status)).startswith(REFUSED)
    assert classify(HttpResponse(status=500)).startswith("error")

    assert disagrees(f"{ALLOWED} (200)", REFUSED)
    assert disagrees(f"{REFUSED} (404)", ALLOWED)
    assert not disagrees(f"{REFUSED} (404)", ALLOWED, check_allowed=False)
    assert disagrees("error del servidor (500)", REFUSED)
    assert not disagrees(f"{REFUSED} (403)", REFUSED)
    findings = [
        Finding("supports:detail", ADMIN, "GET", "objeto ajeno", REFUSED, f"{ALLOWED} (200)"),
        Finding("uploads:aspirant_detail", ASPIRANT, "POST", "objeto ajeno", REFUSED, "x"),
    ]
    text = report(findings)
    assert text.startswith("2 discrepancias")
    assert "supports:detail (objeto ajeno) · opl_admin · GET" in text
    assert "uploads:aspirant_detail (objeto ajeno) · aspirant · POST" in text

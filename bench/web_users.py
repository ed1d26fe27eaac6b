"""The simulated users of `make bench ONLY=web`: each a thread with its own session and keep-alive
connection to gunicorn on 127.0.0.1, repeating what that role does all day until the deadline.

After each request a user pauses `pause` seconds on average (uniformly between half and one and a
half times it), as a person reads a page or types the next row; 0 is the stress run, where each
user sends its next request the moment the last one is answered.

Every request is recorded as (page type, seconds, error or None). A redirect after a form (302) is
what a save answers; any other status outside 2xx, or a page that mentions "database is locked",
is an error.
"""

import http.client
import random
import re
import threading
import time
from http.cookies import SimpleCookie
from time import perf_counter
from urllib.parse import urlencode, urlsplit

from bench.api import capture_body
from bench.data import citizen
from bench.web_data import PASSWORD, cedula_date

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOCKED = b"database is locked"
SEARCHES = ["GARCIA", "lopez juan", "MUNOZ", "maria guadalupe", "VALENZUELA E"]
ROWS_PER_CEDULA = 10
ACCEPTS_PER_VISIT = 5


class Session:
    """One browser: cookies, the CSRF token of the last page, one keep-alive connection."""

    def __init__(self, port, record):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}
        self.csrf = ""
        self.record = record

    def request(self, kind, method, path, form=None, headers=None, expect=(200, 302)):
        """Send one request; returns (status, location, body). Records its time under `kind`."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.record(kind, perf_counter() - start, f"{type(error).__name__}: {error}")
            return 0, "", b""
        seconds = perf_counter() - start
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        error = None
        if LOCKED in content:
            error = "database is locked"
        elif response.status not in expect:
            error = f"HTTP {response.status} {path}"
        self.record(kind, seconds, error)
        match = CSRF.search(content.decode("utf-8", "replace"))
        if match:
            self.csrf = match.group(1)
        location = urlsplit(response.headers.get("Location", "")).path
        return response.status, location, content

    def sign_in(self, username):
        self.request("página de entrada", "GET", "/entrar/")
        status, _, _ = self.request(
            "entrar", "POST", "/entrar/", {"username": username, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"{username} no pudo entrar (HTTP {status}).")


class User(threading.Thread):
    """A simulated person; subclasses define `work` (one round of their flow)."""

    def __init__(
        self, port, world, username, seed, start_event, deadline, results, ready, pause=0.0
    ):
        super().__init__(daemon=True)
        self.world, self.username, self.rng = world, username, random.Random(seed)
        self.start_event, self.deadline, self.ready = start_event, deadline, ready
        self.results, self.lock, self.pause = results, threading.Lock(), pause
        self.session = Session(port, self.record)

    def record(self, kind, seconds, error):
        with self.lock:
            self.results.append((kind, seconds, error))
        self.think()

    def think(self):
        """The pause after a request, never past the deadline (the signing in has none)."""
        if not self.pause or not self.start_event.is_set():
            return
        left = self.deadline[0] - perf_counter()
        time.sleep(max(0.0, min(left, self.pause * self.rng.uniform(0.5, 1.5))))

    def sign_in(self):
        self.session.sign_in(self.username)

    def run(self):
        # Everyone signs in at once (the start of a shift), before the clock of the pages starts.
        try:
            if self.username:
                self.sign_in()
        finally:
            self.ready.wait()
        self.start_event.wait()
        while perf_counter() < self.deadline[0]:
            self.work()

    def get(self, kind, path):
        return self.session.request(kind, "GET", path)

    def post(self, kind, path, form):
        return self.session.request(kind, "POST", path, form)


class Capturist(User):
    """Opens a cédula and saves its ten rows from the keyboard, one after another."""

    count = 0

    def work(self):
        self.get("captura", "/captura/")
        Capturist.count += 1
        form = {
            "process": self.world.process_id,
            "office": self.world.office_id,
            "aspirant": self.rng.choice(self.world.aspirant_ids),
            "reference": f"W-{self.username}-{Capturist.count}-{self.rng.randrange(10**6)}",
            "date": cedula_date(),
        }
        status, cedula, _ = self.post("abrir cédula", "/captura/", form)
        if status != 302:
            return
        self.get("cédula", cedula)
        for _ in range(ROWS_PER_CEDULA):
            if perf_counter() >= self.deadline[0]:
                return
            name, paternal, maternal, key, ocr = citizen(self.rng)
            row = {
                "NOMBRE": name,
                "APELLIDO_PATERNO": paternal,
                "APELLIDO_MATERNO": maternal,
                "CLAVE_ELECTOR": key,
                "OCR": ocr,
                "TIPO_INCONSISTENCIA": "",
                "COMENTARIO": "",
            }
            self.post("guardar fila", cedula, row)
            self.get("cédula", cedula)


class Reviewer(User):
    """Looks at the mesa de control queue, starts reviewing, accepts a few supports in a row."""

    def work(self):
        self.get("mesa", "/mesa/")
        status, support, _ = self.get("comenzar revisión", "/mesa/comenzar/")
        for _ in range(ACCEPTS_PER_VISIT):
            if status != 302 or not support.startswith("/mesa/apoyos/"):
                return
            self.get("revisar apoyo", support)
            status, support, _ = self.post("aceptar", f"{support}aceptar/", {})


class Aspirant(User):
    """Browses their portal: the first page, a search, a state, a later page, one support."""

    def __init__(self, *args, aspirant_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.aspirant_id = aspirant_id

    def work(self):
        self.get("portal", "/portal/")
        self.get("portal: búsqueda", "/portal/?" + urlencode({"q": self.rng.choice(SEARCHES)}))
        self.get("portal", "/portal/?state=pending")
        self.get("portal", f"/portal/?page={self.rng.randrange(2, 200)}")
        support = self.rng.choice(self.world.support_ids[self.aspirant_id])
        self.get("portal: apoyo", f"/portal/apoyos/{support}/")


class Admin(User):
    """The OPL administrator: results, the supports list, its search, the dashboard."""

    def work(self):
        self.get("resultados", "/resultados/")
        self.get("resultados", f"/resultados/cargos/{self.world.office_id}/")
        self.get("lista de apoyos", "/apoyos/")
        self.get("lista: búsqueda", "/apoyos/?" + urlencode({"q": self.rng.choice(SEARCHES)}))
        self.get("lista de apoyos", f"/apoyos/?page={self.rng.randrange(2, 500)}")
        self.get("tablero", "/tablero/")


class Phone(User):
    """An auxiliary's phone sending captures through the API (no photos)."""

    def __init__(self, *args, key, captured_at, **kwargs):
        super().__init__(*args, **kwargs)
        self.key, self.captured_at = key, captured_at
        self.number = self.rng.randrange(10**9)

    def work(self):
        self.number += 1
        headers = {
            "Authorization": f"Token {self.key}",
            "Content-Type": "multipart/form-data; boundary=apoyo-bench-8f2c1d",
        }
        body = capture_body(self.number, self.captured_at)
        session = self.session
        start = perf_counter()
        try:
            session.connection.request("POST", "/api/v1/supports/", body, headers)
            response = session.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            session.connection.close()
            self.record("API: envío", perf_counter() - start, type(error).__name__)
            return
        error = None if response.status == 201 else f"HTTP {response.status}"
        if LOCKED in content:
            error = "database is locked"
        self.record("API: envío", perf_counter() - start, error)

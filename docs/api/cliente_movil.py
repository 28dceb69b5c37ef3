#!/usr/bin/env python3
"""What a mobile app does with AYNI, end to end: sign in with AYNI Passport (authorization
code + PKCE, the browser returning to a loopback address), list the servant's boletas and
download one PDF. Python's standard library only.

    python3 docs/api/cliente_movil.py --plataforma http://127.0.0.1:8000

It prints the sign-in address (and opens the browser if it can), waits for the browser to
come back to http://127.0.0.1:<port>/callback, exchanges the code, lists the boletas and
saves the newest one's PDF. The demo data registers the client `ayni-movil-demo`.
"""

import argparse
import base64
import hashlib
import json
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
import webbrowser
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread

SCOPES = "openid profile boletas"


class SignInError(Exception):
    pass


def get_json(url: str, token: str = "") -> dict:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  (the given platform)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)


def discover(platform: str) -> dict:
    """The provider's endpoints, from its OpenID Connect discovery document."""
    return get_json(platform.rstrip("/") + "/.well-known/openid-configuration")


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, its S256 code_challenge): RFC 7636."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Callback:
    """A one-shot loopback listener (RFC 8252 §7.3): the browser's return with the code."""

    def __init__(self, port: int = 0):
        received = self.received = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802  (http.server's name)
                query = urllib.parse.urlsplit(self.path).query
                received.update(urllib.parse.parse_qsl(query))
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write("<p>Listo: puede volver a la aplicación.</p>".encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", port), Handler)
        self.redirect_uri = f"http://127.0.0.1:{self.server.server_port}/callback"
        self.thread = Thread(target=self.server.handle_request, daemon=True)
        self.thread.start()

    def wait(self, timeout: float) -> dict:
        self.thread.join(timeout)
        self.server.server_close()
        if not self.received:
            raise SignInError("El navegador no volvió a la aplicación a tiempo.")
        return self.received


def authorization_url(config: dict, client_id: str, redirect_uri: str, challenge: str,
                      state: str, nonce: str, scope: str = SCOPES) -> str:  # fmt: skip
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
        "scope": scope, "state": state, "nonce": nonce, "code_challenge": challenge,
        "code_challenge_method": "S256",
    })  # fmt: skip
    return f"{config['authorization_endpoint']}?{query}"


def check_answer(answer: dict, state: str, issuer: str) -> str:
    """The code, once the answer is known to be ours (state) and from AYNI (RFC 9207 iss)."""
    if answer.get("state") != state:
        raise SignInError("La respuesta no corresponde a este inicio de sesión (state).")
    if "error" in answer:
        raise SignInError(
            f"AYNI no autorizó: {answer['error']} {answer.get('error_description', '')}"
        )
    if answer.get("iss", issuer) != issuer:
        raise SignInError("La respuesta no viene de la plataforma esperada (iss).")
    return answer["code"]


def exchange_code(config: dict, client_id: str, code: str, verifier: str,
                  redirect_uri: str) -> dict:  # fmt: skip
    """The code and the PKCE verifier for the tokens (a public client: no secret)."""
    body = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "redirect_uri": redirect_uri, "client_id": client_id,
    }).encode()  # fmt: skip
    request = urllib.request.Request(config["token_endpoint"], data=body)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise SignInError(f"AYNI no entregó el token: {error.read().decode()}") from error


def sign_in(platform: str, client_id: str, open_browser, port: int = 0,
            scope: str = SCOPES, timeout: float = 300) -> dict:  # fmt: skip
    """The whole sign-in: `open_browser(url)` shows AYNI's sign-in and consent to the person;
    the tokens come back."""
    config = discover(platform)
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    callback = Callback(port)
    open_browser(authorization_url(config, client_id, callback.redirect_uri, challenge,
                                   state, nonce, scope))  # fmt: skip
    code = check_answer(callback.wait(timeout), state, config["issuer"])
    return exchange_code(config, client_id, code, verifier, callback.redirect_uri)


def list_boletas(platform: str, token: str) -> list[dict]:
    """The servant's boletas, newest first (the first page: 20)."""
    return get_json(platform.rstrip("/") + "/api/v1/boletas/", token)["results"]


def download_boleta(platform: str, token: str, boleta_id: int, folder: Path) -> Path:
    url = f"{platform.rstrip('/')}/api/v1/boletas/{boleta_id}/pdf/?descargar"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        target = folder / f"boleta-{boleta_id}.pdf"
        target.write_bytes(response.read())
    return target


def show_and_open(url: str) -> None:
    print(f"Abra esta dirección para ingresar a AYNI:\n  {url}\n", flush=True)
    webbrowser.open(url)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plataforma", default="http://127.0.0.1:8000")
    parser.add_argument("--client-id", default="ayni-movil-demo")
    parser.add_argument("--puerto", type=int, default=0, help="puerto de retorno (0: libre)")
    parser.add_argument("--carpeta", type=Path, default=Path.cwd(), help="dónde guardar el PDF")
    args = parser.parse_args(argv)
    try:
        tokens = sign_in(args.plataforma, args.client_id, show_and_open, args.puerto)
    except SignInError as error:
        print(error, file=sys.stderr)
        return 1
    boletas = list_boletas(args.plataforma, tokens["access_token"])
    for boleta in boletas:
        print(f"{boleta['id']:>8}  {boleta['periodo']}  {boleta['tipo_planilla']}")
    if not boletas:
        print("No tiene boletas.")
        return 0
    saved = download_boleta(args.plataforma, tokens["access_token"], boletas[0]["id"], args.carpeta)
    print(f"Guardada: {saved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

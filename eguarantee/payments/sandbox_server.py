"""沙箱支付渠道: a stand-in payment gateway that runs as its own process and shares no code with
the platform (standard library plus gmssl-pyx only), so the platform meets it over HTTP
exactly as it would meet a real acquirer.

    python -m eguarantee.payments.sandbox_server --port 8001 --key-dir var/sandbox-gateway

On first start it generates its SM2 key pair (notify-sm2.key, private, mode 0600, and
notify-sm2.pub) under --key-dir, or at --notify-key. The platform is configured with the
public key (or the .pub file's path). --port 0 picks a free port; the first line printed is
"sandbox gateway listening on http://HOST:PORT".

Routes:
    GET  /cashier?out_trade_no&amount&subject&notify_url&return_url   收银台 (HTML)
    POST /cashier/pay      out_trade_no: pay, then notify the merchant
    POST /cashier/notify   out_trade_no: send the notification of a paid order again
    GET  /api/query?out_trade_no=…          the order's state, signed like a notification
    GET  /api/deliveries?out_trade_no=…     the notification attempts and the answers
    GET  /public-key                        {"algorithm": "SM2", "public_key": "04…"}
    GET  /healthz

A notification is a JSON object of strings: out_trade_no, trade_no, amount, paid_at, nonce,
timestamp and sign = base64(DER(SM3withSM2(k=v&… of the other fields in ascending key
order))), with the default signer id 1234567812345678. It is sent again, freshly signed,
after each of --retry-delays seconds until the merchant answers the plain text "success".
"""

import argparse
import base64
import html
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gmssl_pyx

CHINA = timezone(timedelta(hours=8))
NOTIFY_TIMEOUT = 5


# ------------------------------------------------------------------ keys and signatures


class Keys:
    def __init__(self, private_path):
        self.private_path = Path(private_path)
        self.public_path = self.private_path.with_suffix(".pub")
        if not self.private_path.exists():
            self._generate()
        self.private = bytes.fromhex(self.private_path.read_text().strip())
        self.public = gmssl_pyx.normalize_sm2_public_key(self.public_path.read_text().strip())

    def _generate(self):
        public, private = gmssl_pyx.sm2_key_generate()
        self.private_path.parent.mkdir(parents=True, exist_ok=True)
        # The private key never exists with wider permissions, not even for a moment.
        fd = os.open(self.private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(private.hex() + "\n")
        self.public_path.write_text("04" + public.hex() + "\n")

    @property
    def public_hex(self):
        return "04" + self.public.hex()

    def sign(self, fields):
        text = "&".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "sign")
        signature = gmssl_pyx.sm2_sign(self.private, self.public, text.encode())
        return {**fields, "sign": base64.b64encode(signature).decode()}


# ------------------------------------------------------------------ orders


class Order:
    def __init__(self, out_trade_no, amount, subject, notify_url, return_url):
        self.out_trade_no = out_trade_no
        self.amount = amount
        self.subject = subject
        self.notify_url = notify_url
        self.return_url = return_url
        self.status = "unpaid"
        self.trade_no = ""
        self.paid_at = ""
        self.deliveries = []  # [{"at", "status", "body"}]
        self.acknowledged = False


class Gateway:
    def __init__(self, keys, retry_delays):
        self.keys = keys
        self.retry_delays = retry_delays
        self.orders = {}
        self.lock = threading.Lock()

    def register(self, params):
        """The order the cashier was opened for; the same number must keep the same amount."""
        out_trade_no = params.get("out_trade_no", "").strip()
        if not out_trade_no or len(out_trade_no) > 64:
            raise ValueError("缺少商户订单号（out_trade_no）或订单号过长。")
        amount = parse_amount(params.get("amount", ""))
        notify_url = params.get("notify_url", "")
        if urllib.parse.urlsplit(notify_url).scheme not in ("http", "https"):
            raise ValueError("缺少有效的异步通知地址（notify_url）。")
        with self.lock:
            order = self.orders.get(out_trade_no)
            if order is None:
                order = Order(
                    out_trade_no, amount, params.get("subject", "")[:100], notify_url, params.get("return_url", "")
                )
                self.orders[out_trade_no] = order
            elif order.amount != amount:
                raise ValueError("同一商户订单号的金额与首次下单时不一致。")
            return order

    def pay(self, out_trade_no):
        with self.lock:
            order = self.orders.get(out_trade_no)
            if order is None:
                raise LookupError("订单不存在，请从商户页面重新发起支付。")
            if order.status == "paid":
                raise ValueError("该订单已支付，不能重复支付。")
            order.status = "paid"
            order.trade_no = "SB" + datetime.now(CHINA).strftime("%Y%m%d%H%M%S") + secrets.token_hex(4).upper()
            order.paid_at = datetime.now(CHINA).isoformat(timespec="seconds")
        return order

    def notification(self, order):
        return self.keys.sign(
            {
                "out_trade_no": order.out_trade_no,
                "trade_no": order.trade_no,
                "amount": order.amount,
                "paid_at": order.paid_at,
                "nonce": secrets.token_hex(16),
                "timestamp": str(int(time.time())),
            }
        )

    def deliver(self, order):
        """One attempt, freshly signed. True when the merchant answered "success"."""
        body = json.dumps(self.notification(order)).encode()
        request = urllib.request.Request(  # noqa: S310  the scheme was checked to be http(s) at registration
            order.notify_url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=NOTIFY_TIMEOUT) as response:  # noqa: S310  http(s) checked
                status, answer = response.status, response.read(4096)
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, exc.read(4096)
        except (urllib.error.URLError, OSError) as exc:
            status, answer = 0, str(exc).encode()
        text = answer.decode("utf-8", "replace").strip()
        ok = status == 200 and text == "success"
        with self.lock:
            order.deliveries.append(
                {"at": datetime.now(CHINA).isoformat(timespec="seconds"), "status": status, "body": text}
            )
            order.acknowledged = order.acknowledged or ok
        return ok

    def deliver_until_acknowledged(self, order):
        """First attempt now (the cashier page shows its outcome); retries in the background."""
        if self.deliver(order):
            return True
        threading.Thread(target=self._retry, args=(order,), daemon=True).start()
        return False

    def _retry(self, order):
        for delay in self.retry_delays:
            time.sleep(delay)
            if order.acknowledged or self.deliver(order):
                return

    def query(self, out_trade_no):
        with self.lock:
            order = self.orders.get(out_trade_no)
        fields = {"out_trade_no": out_trade_no, "status": "unknown", "trade_no": "", "amount": "", "paid_at": ""}
        if order is not None:
            fields.update(status=order.status, trade_no=order.trade_no, amount=order.amount, paid_at=order.paid_at)
        fields.update(nonce=secrets.token_hex(16), timestamp=str(int(time.time())))
        return self.keys.sign(fields)


def parse_amount(text):
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("金额格式错误。") from None
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent != -2:
        raise ValueError("金额须为两位小数的正数（元）。")
    return str(amount)


# ------------------------------------------------------------------ pages

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 沙箱支付</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto;color:#222}}
table{{border-collapse:collapse;width:100%}}td{{padding:.4rem;border-bottom:1px solid #ddd}}
.amount{{font-size:1.6rem;color:#c00}}button{{font-size:1rem;padding:.5rem 1.5rem}}
.note{{color:#666;font-size:.9rem}}</style></head>
<body><h1>{title}</h1>{body}<p class="note">沙箱支付渠道：仅供开发与测试，不发生真实资金划转。</p></body></html>"""


def page(title, body):
    return PAGE.format(title=html.escape(title), body=body)


def order_table(order):
    rows = [
        ("商户订单号", order.out_trade_no),
        ("商品", order.subject or "—"),
        ("金额", f"¥ {order.amount}"),
        ("状态", "已支付" if order.status == "paid" else "待支付"),
    ]
    if order.trade_no:
        rows.append(("交易号", order.trade_no))
    cells = "".join(
        f"<tr><td>{html.escape(k)}</td><td{' class=amount' if k == '金额' else ''}>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f'<table id="order">{cells}</table>'


def form(action, label, order):
    value = html.escape(order.out_trade_no, quote=True)
    return (
        f'<form method="post" action="{action}"><input type="hidden" name="out_trade_no" value="{value}">'
        f'<p><button type="submit">{html.escape(label)}</button></p></form>'
    )


def back_link(order):
    if urllib.parse.urlsplit(order.return_url).scheme not in ("http", "https"):
        return ""
    return f'<p><a id="return" href="{html.escape(order.return_url, quote=True)}">返回商户</a></p>'


def delivery_text(order, ok):
    if ok:
        return '<p id="notify-status">已通知商户，商户已确认收到。</p>'
    last = order.deliveries[-1] if order.deliveries else {"status": 0, "body": ""}
    return (
        f'<p id="notify-status">通知商户未成功（HTTP {last["status"]}：{html.escape(last["body"][:200])}），'
        "沙箱将稍后重试。</p>"
    )


# ------------------------------------------------------------------ HTTP


class Handler(BaseHTTPRequestHandler):
    server_version = "SandboxGateway/1.0"
    gateway: Gateway = None

    def _send(self, status, body, content_type="text/html; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status, payload):
        self._send(status, json.dumps(payload, ensure_ascii=False), "application/json; charset=utf-8")

    def _query(self):
        return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).items()}

    def _form(self):
        length = min(int(self.headers.get("Content-Length") or 0), 65536)
        body = self.rfile.read(length).decode("utf-8", "replace")
        return {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            return self._send(200, "ok", "text/plain; charset=utf-8")
        if path == "/public-key":
            return self._json(200, {"algorithm": "SM2", "public_key": self.gateway.keys.public_hex})
        if path == "/cashier":
            return self._cashier()
        if path == "/api/query":
            return self._json(200, self.gateway.query(self._query().get("out_trade_no", "")))
        if path == "/api/deliveries":
            order = self.gateway.orders.get(self._query().get("out_trade_no", ""))
            return self._json(200 if order else 404, {"deliveries": order.deliveries if order else []})
        return self._send(404, page("页面不存在", "<p>页面不存在。</p>"))

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/cashier/pay":
            return self._pay()
        if path == "/cashier/notify":
            return self._notify_again()
        return self._send(404, page("页面不存在", "<p>页面不存在。</p>"))

    def _cashier(self):
        try:
            order = self.gateway.register(self._query())
        except ValueError as exc:
            return self._send(400, page("无法支付", f'<p id="error">{html.escape(str(exc))}</p>'))
        if order.status == "paid":
            body = order_table(order) + '<p id="paid">该订单已支付。</p>' + back_link(order)
        else:
            body = order_table(order) + form("/cashier/pay", "确认支付", order)
        return self._send(200, page("收银台", body))

    def _pay(self):
        out_trade_no = self._form().get("out_trade_no", "")
        try:
            order = self.gateway.pay(out_trade_no)
        except LookupError as exc:
            return self._send(404, page("无法支付", f'<p id="error">{html.escape(str(exc))}</p>'))
        except ValueError as exc:
            return self._send(409, page("无法支付", f'<p id="error">{html.escape(str(exc))}</p>'))
        ok = self.gateway.deliver_until_acknowledged(order)
        body = order_table(order) + '<p id="paid">支付成功。</p>' + delivery_text(order, ok) + back_link(order)
        return self._send(200, page("支付成功", body))

    def _notify_again(self):
        order = self.gateway.orders.get(self._form().get("out_trade_no", ""))
        if order is None or order.status != "paid":
            return self._send(409, page("无法通知", '<p id="error">订单不存在或尚未支付。</p>'))
        ok = self.gateway.deliver(order)
        body = order_table(order) + delivery_text(order, ok) + back_link(order)
        return self._send(200, page("重新通知", body))

    def log_message(self, format, *args):
        sys.stderr.write(f"[sandbox] {self.address_string()} {format % args}\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="沙箱支付渠道（开发与测试用）")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001, help="0: pick a free port")
    parser.add_argument("--key-dir", default="var/sandbox-gateway", help="where the SM2 key pair is kept")
    parser.add_argument("--notify-key", default="", help="the SM2 private key file (default: KEY_DIR/notify-sm2.key)")
    parser.add_argument("--retry-delays", default="2,5,15,30,60", help="seconds between notification retries")
    args = parser.parse_args(argv)
    keys = Keys(args.notify_key or Path(args.key_dir) / "notify-sm2.key")
    delays = [float(d) for d in args.retry_delays.split(",") if d.strip()]
    handler = type("BoundHandler", (Handler,), {"gateway": Gateway(keys, delays)})
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    print(f"sandbox gateway listening on http://{host}:{port}", flush=True)
    print(f"public key file: {keys.public_path}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

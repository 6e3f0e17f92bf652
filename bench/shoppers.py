"""Simulated shoppers: headers, CSRF cookies, carts and checkout POSTs."""

from __future__ import annotations

import asyncio
import secrets
from urllib.parse import urlencode

from bench.config import Config


def _headers(port: int) -> dict[str, str]:
    # As nginx would send them: TLS ended at the proxy, the site's own origin.
    return {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "127.0.0.1",
        "User-Agent": "karyabinaan-bench",
        "Accept": "text/html",
    }


def _csrf() -> str:
    return secrets.token_hex(16)  # 32 characters: a valid CSRF secret


_shoppers = iter(range(1, 2**17))


def shopper_address() -> str:
    """A distinct client address per simulated shopper, in the X-Forwarded-For
    header nginx would send (198.18.0.0/15 is the range set aside for
    benchmarks, RFC 2544); no traffic goes there. Without it every shopper
    would be 127.0.0.1 and the per-address checkout rate limit would refuse
    them, which is right for one address and wrong for a crowd."""
    n = next(_shoppers)
    return f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"


def _post(path: str, body: bytes, *, port: int, csrf: str, session: str = "", ip: str = ""):
    from bench.loadgen import Request

    cookie = f"csrftoken={csrf}" + (f"; sessionid={session}" if session else "")
    return Request(
        "POST",
        path,
        {
            "X-Forwarded-For": ip or shopper_address(),
            "Cookie": cookie,
            "Origin": f"https://127.0.0.1:{port}",
            "Referer": f"https://127.0.0.1:{port}/checkout/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )


async def prepare_buyers(client, config: Config, product_ids: list[int], concurrency: int = 8):
    """One shopper per product id: a cart holding it, and the checkout POST they
    will send (read from their checkout page). Returns the POST requests."""
    from bench.forms import checkout_body
    from bench.loadgen import Request

    semaphore = asyncio.Semaphore(concurrency)
    port = config.port

    async def one(n: int, product_id: int):
        async with semaphore:
            csrf, ip = _csrf(), shopper_address()
            body = urlencode({"product": product_id, "quantity": 1, "csrfmiddlewaretoken": csrf})
            added = await client.request(
                _post("/keranjang/tambah/", body.encode(), port=port, csrf=csrf, ip=ip)
            )
            session = added.cookies.get("sessionid", "")
            if added.status != 302 or not session:
                raise RuntimeError(f"add to cart failed: HTTP {added.status}")
            page = await client.request(
                Request(
                    "GET",
                    "/checkout/",
                    {"Cookie": f"csrftoken={csrf}; sessionid={session}", "X-Forwarded-For": ip},
                )
            )
            if page.status != 200:
                raise RuntimeError(f"checkout page: HTTP {page.status}")
            post = checkout_body(
                page.body.decode(),
                name=f"Pembeli Uji {n}",
                phone=f"0812{20_000_000 + n:08d}",
                csrf=csrf,
            )
            return _post("/checkout/", post, port=port, csrf=csrf, session=session, ip=ip)

    return await asyncio.gather(*(one(n, pid) for n, pid in enumerate(product_ids)))


def _placed(response) -> bool:
    return response.status == 302 and "/selesai/" in response.headers.get("location", "")

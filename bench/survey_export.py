"""Stream one survey's CSV export through the app, as staff download it, and write what it
took as JSON: `survey_export.py SLUG OUT` (run through bench/rusage.py for the peak RSS).
Reads DATABASE_URL and SECRET_KEY from the environment, as the app does."""

import json
import resource
import sys
import time

from flask_login.utils import _create_identifier
from sqlalchemy import select

from mitwirkung import create_app
from mitwirkung.accounts.models import User
from mitwirkung.extensions import db

HEADERS = {"User-Agent": "mitwirkung-bench/1"}
ADDRESS = {"REMOTE_ADDR": "127.0.0.1"}


def main() -> None:
    slug, out = sys.argv[1:3]
    app = create_app()
    startup_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.role == "staff").limit(1))
        user_id, token = staff.id, staff.session_token
    # Signed in as bench/seed.py signs voters in: the identifier of this address and agent.
    with app.test_request_context("/", headers=HEADERS, environ_base=ADDRESS):
        identifier = _create_identifier()
    client = app.test_client()
    with client.session_transaction(headers=HEADERS, environ_base=ADDRESS) as cookie:
        cookie.update({"_user_id": f"{user_id}:{token}", "_fresh": True, "_id": identifier})
    began = time.perf_counter()
    response = client.get(f"/manage/surveys/{slug}/responses.csv", buffered=False,
                          headers=HEADERS, environ_base=ADDRESS)
    size = rows = 0
    for chunk in response.response:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    response.close()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"status": response.status_code, "bytes": size, "rows": rows,
                   "seconds": time.perf_counter() - began, "startup_mb": startup_mb}, handle)


if __name__ == "__main__":
    main()

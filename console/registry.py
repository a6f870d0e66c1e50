"""The register of workers (实名登记, issue 16): who went where, in which trade, for which employer, with
the counts by destination and trade the seeds ask for, searched and exported as CSV. Names are shown
masked; a staff member with regions sees the workers of those home counties or destinations. Export
is a supervisor's and is audited."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request
from sqlalchemy.orm import Session

from console.access import sees_all
from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, session_db, signed_in
from domain import audit
from domain.registry import records
from domain.storage.models import Registration
from domain.text import without_controls


def _filters() -> records.Filters:
    def arg(name: str) -> str:
        return without_controls(request.args.get(name, "")).strip()[:32]
    return records.Filters(county=arg("county"), destination=arg("destination"), trade=arg("trade"), q=arg("q"))


def _visible(db: Session, f: records.Filters) -> list[Registration]:
    """As with cases: staff who see all regions see every worker; others those of their regions (none
    without regions)."""
    me = signed_in()
    return records.ledger(db, f, None if sees_all(me) else list(me.regions or []))


@bp.get("/registry")
@login_required
def registry() -> str:
    f = _filters()
    rows = _visible(session_db(), f)
    return render_template("console/registry.html", rows=rows, f=f, counts=records.counts(rows))


@bp.get("/registry.csv")
@login_required
@permission_required("manage_services")
def registry_csv() -> Response:
    f = _filters()
    rows = _visible(session_db(), f)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(records.CSV_HEADER)
    writer.writerows(records.csv_row(r) for r in rows)
    audit.record(session_db(), actor(signed_in()), "registry_exported", "", count=len(rows),
                 filters={k: v for k, v in vars(f).items() if v})
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=registry.csv"})

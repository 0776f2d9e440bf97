"""The account charts, as Altair (Vega-Lite) specs: the app draws them in the browser, the static
report renders the same specs offline to inline SVG with vl-convert (no network, same bytes each run)."""

import altair as alt
import vl_convert

COLORS = {"green": "#2e9e5b", "yellow": "#e8b317", "red": "#d64545", "not scored": "#d9d9d9"}
BAND_COLORS = {"green": "#2e9e5b", "yellow": "#e8b317", "red": "#d64545"}
FONT = "Helvetica, Arial, sans-serif"


def _month_label(month):
    return month.strftime("%b %Y")


def utilization_chart(months, bands, term_month=None, width=640, height=240):
    """License utilization per month (axis in percent, each point labelled), over the color bands
    of the latest term month, with the 100 %-of-seats line; a month without utilization is a gap."""
    points = [{"month": _month_label(row["month"]), "utilization": row["license_utilization"]} for row in months]
    order = [point["month"] for point in points]
    values = [point["utilization"] for point in points if point["utilization"] is not None]
    top = max([1.0] + values) * 1.15
    x = alt.X("month:O", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelFontSize=10))
    y_scale = alt.Scale(domain=[0, top], nice=False)
    band_rows = [{"from": band["from"], "to": min(band["to"] if band["to"] is not None else top, top),
                  "color": band["color"], "label": f"{band['color']} from {band['from']:.0%}"} for band in bands]
    present = [color for color in BAND_COLORS if any(band["color"] == color for band in bands)]
    layers = []
    if band_rows:
        layers.append(alt.Chart(alt.Data(values=band_rows)).mark_rect(opacity=0.14).encode(
            y=alt.Y("from:Q", scale=y_scale),
            y2="to:Q",
            color=alt.Color("color:N", scale=alt.Scale(domain=present, range=[BAND_COLORS[color] for color in present]),
                            legend=alt.Legend(title=f"Band, term month {term_month}", orient="right")),
        ))
    layers.append(alt.Chart(alt.Data(values=[{"y": 1.0}])).mark_rule(strokeDash=[4, 4], color="#888").encode(y="y:Q"))
    line = alt.Chart(alt.Data(values=points))
    layers.append(line.mark_line(color="#3366cc", strokeWidth=2.5, invalid="break-paths-show-path-domains").encode(
        x=x, y=alt.Y("utilization:Q", scale=y_scale, axis=alt.Axis(format="%", title="License utilization"))))
    layers.append(line.mark_point(filled=True, color="#3366cc", size=40).encode(
        x=x, y="utilization:Q", tooltip=[alt.Tooltip("month:O"), alt.Tooltip("utilization:Q", format=".0%")]))
    layers.append(line.mark_text(dy=-10, fontSize=9, color="#333").encode(
        x=x, y="utilization:Q", text=alt.Text("utilization:Q", format=".0%")))
    return alt.layer(*layers).properties(width=width, height=height).configure(font=FONT)


def heat_strip(cells, use_cases, months, width=None):
    """One row per use case (use_cases: names in row order), one cell per month, colored by the use
    case's color, with its score ('–' where not scored)."""
    order = [_month_label(month) for month in months]
    rows = [{"month": _month_label(cell["month"]), "use_case": cell["use_case"],
             "color": cell["color"] or "not scored", "status": cell["scoring_status"],
             "score": None if cell["score"] is None else round(cell["score"]),
             "label": "–" if cell["score"] is None else f"{cell['score']:.0f}"} for cell in cells]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("month:O", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelFontSize=10, orient="bottom")),
        y=alt.Y("use_case:O", sort=list(use_cases), title=None, axis=alt.Axis(labelFontSize=12)),
    )
    cells_layer = base.mark_rect(cornerRadius=3, stroke="white", strokeWidth=2).encode(
        color=alt.Color("color:N", scale=alt.Scale(domain=list(COLORS), range=list(COLORS.values())),
                        legend=alt.Legend(title="Color", orient="right")),
        tooltip=["use_case:O", "month:O", "color:N", "status:N", "score:Q"],
    )
    text_layer = base.mark_text(fontSize=9, color="#222").encode(text="label:N")
    return (alt.layer(cells_layer, text_layer)
            .properties(width=width or max(200, 34 * len(order)), height=32 * len(use_cases))
            .configure(font=FONT).configure_view(strokeWidth=0))


def to_svg(chart):
    """The chart rendered offline to SVG markup (vl-convert: Vega and fonts bundled, no network)."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return vl_convert.vegalite_to_svg(chart.to_json(), vl_version=f"{major}.{minor}")


def quarter_label(day):
    """2026-01-01 -> '2026 Q1'."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def cohort_curves(points, use_case, cohorts, width=420, height=220):
    """One use case's adoption curves: per term-start cohort (cohorts: the labels, oldest first), the
    share of its subscriptions green by term month N, over the members that reached month N."""
    rows = [{"cohort": quarter_label(point["cohort_quarter"]), "term_month": point["term_month"],
             "rate": point["adoption_rate"], "reached": point["subscriptions_reached"],
             "adopted": point["adopted_by_n"]} for point in points if point["use_case"] == use_case]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("term_month:Q", title="Term month", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("rate:Q", title="Green by month N", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        # the same cohort has the same color in every use case's chart
        color=alt.Color("cohort:N", title="Term start", scale=alt.Scale(domain=list(cohorts), scheme="tableau10"),
                        legend=alt.Legend(orient="right")),
    )
    lines = base.mark_line(strokeWidth=2, interpolate="step-after")
    points_layer = base.mark_point(filled=True, size=30).encode(
        tooltip=[alt.Tooltip("cohort:N", title="term start"), alt.Tooltip("term_month:Q", title="term month"),
                 alt.Tooltip("rate:Q", format=".0%", title="green"), alt.Tooltip("adopted:Q", title="green by N"),
                 alt.Tooltip("reached:Q", title="reached N")])
    return (alt.layer(lines, points_layer).properties(width=width, height=height, title=use_case)
            .configure(font=FONT).configure_title(fontSize=14, anchor="start"))

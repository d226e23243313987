"""Field names used only by the endpoints outside the Reports Manager, each declared once.

`more_fields(spec)` reads these first, then the shared vocabulary. Names are Wolkvox's keys
as sent, Spanish keys and misspellings kept (`ocupation`, `id_campaing`, `screecbox`,
`busy/congestion/failed`, `nombre_cliente`), so that records match the Wolkvox docs.
"""

from __future__ import annotations

from tap_wolkvox.catalogue.vocabulary import fields
from tap_wolkvox.fields import Field, Kind

_TEL: dict[str, tuple[Kind, str]] = {
    f"tel{n}": ("text", f"Phone number {n} of the record.") for n in range(1, 11)
}
_WORDS: dict[str, tuple[Kind, str]] = {
    # customer.php
    "skill": ("text", "Skill ID (Wolkvox's key in this report)."),
    "screecbox": ("text", "Whether the call was monitored (Wolkvox's spelling of screenbox)."),
    "calls_inbound": ("count", "Inbound calls."),
    "calls_outbound": ("count", "Outbound calls."),
    "calls_internal": ("count", "Internal calls."),
    "talk_time": ("duration", "Talk time."),
    "day_of_week": ("text", "Day of the week."),
    "hit": ("text", "Whether the call was coded as a hit: `yes` or `no`."),
    "telephone_destination": ("text", "Destination of the call."),
    "telephone_costs": ("text", "Cost of the call, as Wolkvox writes it."),
    "month": ("text", "Month, as Wolkvox writes it."),
    "screen_recording": ("text", "Screen recording of the call."),
    "ring": ("duration", "Ringing time (`--`, none, is null)."),
    "abandon": (
        "duration",
        "Time before the caller hung up, for an abandoned call (`--` is null).",
    ),
    "wait_time": ("duration", "Waiting time."),
    **{
        f"calls_ans_{n}": ("count", f"Calls answered within {n} seconds.")
        for n in (10, 20, 30, 40, 50)
    },
    # gamification.php
    "points": ("count", "Gamification points."),
    "aht_time": ("duration", "Average handling time."),
    # speech_analytics.php
    "topic": ("text", "Topic of the call."),
    "fcr": ("text", "Whether it was resolved at first contact: `1` yes, `0` no."),
    "fcr_justification": ("text", "Why the call counts (or not) as resolved at first contact."),
    "csat": ("text", "Customer satisfaction estimated by the AI."),
    "csat_justification": ("text", "Why the AI estimated that satisfaction."),
    # campaign.php detail
    "gender": ("text", "Customer gender."),
    "age": ("text", "Customer age."),
    "country": ("text", "Country."),
    "state": ("text", "State or department."),
    "city": ("text", "City."),
    "zone": ("text", "Zone."),
    "address": ("text", "Address."),
    **_TEL,
    "tel_extra": ("text", "Extra phone number of the record."),
    "recall": ("text", "Recall scheduled for the record."),
    "recall_count": ("count", "Recalls made."),
    # campaign.php campaign_15 (Spanish keys, as sent)
    "nombre_cliente": ("text", "Customer name."),
    "apellido_cliente": ("text", "Customer last name."),
    "tipo_doc": ("text", "Type of the customer's identity document."),
    "id_cliente": ("text", "Customer ID."),
    "edad": ("text", "Customer age."),
    "sexo": ("text", "Customer gender."),
    "pais": ("text", "Country."),
    "departamento": ("text", "State or department."),
    "ciudad": ("text", "City."),
    "zona": ("text", "Zone."),
    "direccion": ("text", "Address."),
    "resultado": ("text", "Result of the last call, e.g. `ANSWER MACHINE`, `NO ANSWER`."),
    "fecha": ("text", "Date of the last call, as Wolkvox writes it."),
    "llamadas": ("count", "Calls made to the record."),
    "cod_rslt1": ("text", "First result (activity) code."),
    "description_cod1": ("text", "Description of the first result code."),
    "cod_rslt2": ("text", "Second result (activity) code."),
    "description_cod2": ("text", "Description of the second result code."),
    "comentarios": ("text", "Comments."),
    "rellamada": ("text", "Recall scheduled for the record."),
    "rellamada_count": ("count", "Recalls made."),
    "email": ("text", "Email."),
    "rellamada_tel": ("text", "Phone number of the recall."),
    "last_dial_tele": ("text", "Last phone number dialled."),
    "history_dial_tel": ("text", "Phone numbers dialled, in order."),
    "rellamada_info": ("text", "Recall details."),
    # quality.php quality_matrix
    "error_type": ("text", "Error type: `CE` (critical) or `NCE` (non-critical)."),
    # whatsapp.php list_templates
    "id": ("text", "Template ID (Meta's)."),
    "previous_category": ("text", "Category before Meta's last review."),
    "parameter_format": ("text", "How parameters are written, e.g. `POSITIONAL`."),
    "components": ("list", "Header, body, footer and buttons, as Wolkvox sends them."),
    # billing.php
    "items": ("number", "Month-to-date usage of the product; its unit depends on the product."),
    # real_time.php
    "time_state_now": ("duration", "Time in the current state."),
    "ocupation": ("text", "Occupancy, as Wolkvox writes it (Wolkvox's spelling)."),
    "calls_in_queue_now": ("count", "Calls waiting in the queue now."),
    "stat_inbound": ("count", "Inbound calls today."),
    "stat_answer": ("count", "Answered calls today."),
    "stat_abandon": ("count", "Abandoned calls today."),
    "by_abandon": ("percent", "Abandoned share of inbound calls."),
    "campaign": ("text", "Campaign ID, name and dial percentage per phone, in one text."),
    "speed": ("text", "Dialling speed."),
    "records": ("count", "Records loaded."),
    "clean": ("count", "Records not dialled yet."),
    "dial": ("count", "Records dialled."),
    "no_answer": ("count", "Calls not answered."),
    "busy/congestion/failed": ("count", "Calls busy, congested or failed."),
    "answer_machine": ("count", "Calls answered by a machine."),
    "penetration_day": ("percent", "Share of the base dialled today."),
    "penetration_now": ("percent", "Share of the base dialled so far."),
    "calls_x_min": ("number", "Calls per minute."),
    "recycled": ("count", "Records recycled."),
    "conversation": ("list", "The chat's messages (`from`, `msg`, `date`), as Wolkvox sends them."),
    "fromname": ("text", "Sender name (Wolkvox's spelling)."),
    "latency_ms": ("number", "Network latency, in milliseconds."),
    "version": ("text", "Agent application version."),
    "tx_jitter": ("number", "Transmit jitter."),
    "rx_jitter": ("number", "Receive jitter."),
    "tx_ploss": ("percent", "Transmit packet loss."),
    "rx_ploss": ("percent", "Receive packet loss."),
    "network_rejection": ("percent", "Network rejection (should stay under 1 %)."),
    "connection_type": ("text", "`Ethernet` or `Wifi`."),
    "platform": ("text", "`app` or `web`."),
    "last_date": ("datetime", "Last measurement."),
    "total_agents": ("count", "Agents behind the IP address."),
    "average_latency": ("number", "Average latency, in milliseconds."),
    "maximum": ("number", "Highest latency, in milliseconds."),
    "minimum": ("number", "Lowest latency, in milliseconds."),
    "cpu_avg_10s": ("percent", "Average CPU use (Wolkvox documents the last 10 minutes)."),
    "cpu_max_10s": ("percent", "Highest CPU use."),
    "cpu_min_10s": ("percent", "Lowest CPU use."),
    "ram": ("percent", "Memory use."),
    "connected_agents": ("count", "Agents connected."),
    "type_recall": ("text", "Recall type: `manual` or `auto`."),
    "date_recall": ("text", "When the recall is scheduled, as Wolkvox writes it."),
    "phone_number": ("text", "Phone number to call back."),
    "id_campaing": ("text", "Campaign ID (Wolkvox's spelling)."),
}


def more_fields(spec: str, *overrides: Field) -> tuple[Field, ...]:
    """The fields named in `spec` (`name*` a key), from these words, then the vocabulary's."""
    own = {field.name for field in overrides}
    names = {token.rstrip("*") for token in spec.split()}
    extra = [
        Field(name, *_WORDS[name]) for name in sorted(names) if name in _WORDS and name not in own
    ]
    return fields(spec, *overrides, *extra)

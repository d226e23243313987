"""campaign.php: the records dialled in a campaign (dated) and its whole base (a list)."""

from __future__ import annotations

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import CAMPAIGN_ENDPOINT, Report
from tap_wolkvox.catalogue.vocabulary import DAY

_OPT = " ".join(f"opt{n}" for n in range(1, 13))
_TEL = " ".join(f"tel{n}" for n in range(1, 11))

REPORTS = (
    Report(
        "detail",
        "campaign_record_details",
        "Managed campaign records, per campaign and its type",
        more_fields(
            "customer_name customer_last_name id_type customer_id gender age country state city "
            f"zone address {_OPT} {_TEL} tel_extra agent_id date calls conn_id* recall result "
            "cod_act cod_act_2 recall_count comments",
            DAY,
        ),
        partition="campaign_record",
        endpoint=CAMPAIGN_ENDPOINT,
        split="concat",
    ),
    Report(
        "campaign_15",
        "campaign_records",
        "A campaign's whole base, managed or not (Spanish keys as sent)",
        more_fields(
            "nombre_cliente apellido_cliente tipo_doc id_cliente* edad sexo pais departamento "
            f"ciudad zona direccion {_OPT} tel1* tel2 tel3 tel4 tel5 tel6 tel7 tel8 tel9 tel10 "
            "tel_extra id_agent resultado fecha llamadas id_call cod_rslt1 description_cod1 "
            "cod_rslt2 description_cod2 comentarios rellamada rellamada_count email rellamada_tel "
            "last_dial_tele history_dial_tel rellamada_info"
        ),
        partition="listed_campaign",
        endpoint=CAMPAIGN_ENDPOINT,
        dated=False,
        data_key="records",
    ),
)

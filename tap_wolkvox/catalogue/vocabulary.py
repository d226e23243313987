"""The field names Wolkvox's reports use, each declared once: its kind and what it holds.

Names are Wolkvox's keys trimmed and lower-cased, misspellings kept (`agent_anwers`,
`aht_outbund`, `campaing_id`, `chanel`, `destinity`, `explation`), so that records match
the Wolkvox docs. Kinds follow the catalogue's example values, then the documented format
(`seconds` -> count, `minutes` -> number), then names that make the kind certain; anything
else is text. A report whose field means something else declares its own `Field`, which
replaces the shared one.
"""

from __future__ import annotations

import dataclasses

from tap_wolkvox.fields import Field, Kind

_WORDS: dict[str, tuple[Kind, str]] = {
    # who
    "agent_id": ("text", "Agent ID."),
    "agent_dni": ("text", "Agent's identity document number."),
    "agent_name": ("text", "Agent name."),
    "id_agent": ("text", "Agent ID (Wolkvox's spelling in this report)."),
    "name_agent": ("text", "Agent name (Wolkvox's spelling in this report)."),
    "agent_status": ("text", "Agent status."),
    "agent_sso": ("text", "The agent's single sign-on identity."),
    "enabled": ("text", "Whether the agent is enabled."),
    "expertise": ("text", "The agent's expertise level in the skill."),
    "origin_agent_id": ("text", "Agent who transferred or conferenced the call."),
    "origin_agent_name": ("text", "Name of the agent who transferred or conferenced the call."),
    "destiny_agent_id": ("text", "Agent who received the transfer or conference."),
    "destiny_agent_name": ("text", "Name of the agent who received the transfer."),
    "transfer_agent_id": ("text", "Agent who transferred the interaction."),
    "transfer_agent_name": ("text", "Name of the agent who transferred the interaction."),
    "transfer_agent_dni": ("text", "Identity document of the agent who transferred it."),
    "receiver_agent_id": ("text", "Agent (or skill) who received the transfer."),
    "receiver_agent_name": ("text", "Name of the agent (or skill) who received the transfer."),
    "receiver_agent_dni": ("text", "Identity document of the agent who received it."),
    "quality_analyst": ("text", "Quality analyst who evaluated."),
    "user": ("text", "User who acted."),
    "user_id": ("text", "User ID."),
    # customers
    "customer_id": ("text", "Customer ID."),
    "customer_name": ("text", "Customer name."),
    "customer_last_name": ("text", "Customer last name."),
    "customer_email": ("text", "Customer email."),
    "customer_phone": ("text", "Customer phone number."),
    "id_type": ("text", "Type of the customer's identity document."),
    "ani": ("text", "Caller's number (ANI)."),
    "dnis": ("text", "Number dialled by the caller (DNIS)."),
    "telephone": ("text", "Telephone number."),
    "dial_phone": ("text", "Number dialled back."),
    "destiny": ("text", "Destination of the call."),
    "destinity": ("text", "Destination of the call (Wolkvox's spelling)."),
    "protected_nit": ("text", "Tax ID of the company whose customer is protected."),
    # ids of interactions
    "conn_id": ("text", "Interaction (call or chat) ID, e.g. `12462.0277.1782402643.44005`."),
    "conn_id_transfer": ("text", "ID of the transferred or conferenced call."),
    "id_call_origin": ("text", "ID of the call the transfer came from."),
    "id_call": ("text", "Call ID."),
    "connect_id": ("text", "Call ID (Wolkvox's spelling in this report)."),
    "conversational_id": ("text", "Voice conversation ID."),
    "session_id": ("text", "Session ID."),
    "case_id": ("text", "Case (interaction) ID."),
    "chat_id": ("text", "Chat ID."),
    "source_id": ("text", "ID of the ad or post the chat came from."),
    "audio_id": ("text", "Audio file ID."),
    "id_text": ("text", "Analysed text ID."),
    # entities
    "campaign_id": ("text", "Campaign ID."),
    "campaing_id": ("text", "Campaign ID (Wolkvox's spelling in this report)."),
    "skill_id": ("text", "Skill ID."),
    "skill_name": ("text", "Skill name."),
    "skill_description": ("text", "Skill description."),
    "rp_id": ("text", "Routing point ID."),
    "rp_name": ("text", "Routing point name."),
    "connector_id": ("text", "Connector ID."),
    "name": ("text", "Name."),
    "cod_act": ("text", "Activity (disposition) code."),
    "description_cod_act": ("text", "Description of the activity code."),
    "cod_act_2": ("text", "Second activity code."),
    "description_cod_act_2": ("text", "Description of the second activity code."),
    "last_code_act": ("text", "Last activity code of the record."),
    "type_code": ("text", "Activity-code type: `cod_act1` or `cod_act2`."),
    "cod_opc_menu": ("text", "IVR menu option code."),
    # what kind of interaction
    "channel": ("text", "Channel, e.g. `whatsapp`, `web`, `voice`."),
    "chanel": ("text", "Channel (Wolkvox's spelling in this report)."),
    "type_interaction": ("text", "Interaction type, e.g. inbound, outbound or internal."),
    "type_call": ("text", "Call type, e.g. `transfer`, `conference`, `outbound_ma`."),
    "type_action": ("text", "Action: hold or mute."),
    "result": ("text", "Result of the interaction."),
    "call_result": ("text", "Result of the call."),
    "skill_result": ("text", "Result in the skill."),
    "hang_up": ("text", "Who hung up."),
    "hung_up": ("text", "Who hung up (Wolkvox's spelling in this report)."),
    "go_to_agent": ("text", "Whether it went on to an agent."),
    "status": ("text", "Status."),
    "aux_state": ("text", "Auxiliary (break) state."),
    "feeling": ("text", "Detected sentiment."),
    # when
    "date": ("text", "Date, as Wolkvox writes it."),
    "date_ini": ("datetime", "Start."),
    "date_end": ("datetime", "End."),
    "day": ("text", "Day, as Wolkvox writes it."),
    "time": ("duration", "Time taken."),
    "hour": ("hour", "Hour of the day, `HH:MM`."),
    "login": ("datetime", "Login time."),
    "logout": ("datetime", "Logout time."),
    "last_use": ("datetime", "When it was last used."),
    # agent time by status (HH:MM:SS in the agent reports)
    "calls": ("count", "Calls."),
    "inbound": ("count", "Inbound calls."),
    "outbound": ("count", "Outbound calls."),
    "internal": ("count", "Internal calls."),
    "ready_time": ("duration", "Time ready (available)."),
    "inbound_time": ("duration", "Time on inbound calls."),
    "outbound_time": ("duration", "Time on outbound calls."),
    "acw_time": ("duration", "After-call work time."),
    "ring_time": ("duration", "Ringing time."),
    "login_time": ("duration", "Time logged in."),
    "aux_time": ("duration", "Time in auxiliary (break) states."),
    "aht": ("duration", "Average handling time."),
    "aht_inbound": ("duration", "Average handling time of inbound calls."),
    "aht_outbound": ("duration", "Average handling time of outbound calls."),
    "aht_outbund": ("duration", "Average handling time of outbound calls (Wolkvox's spelling)."),
    "occupancy": ("percent", "Occupancy: time on calls as a share of the time logged in."),
    "hits": ("count", "Hits (calls coded as a hit)."),
    "rpc": ("count", "Right-party contacts."),
    "hold_time": ("duration", "Time on hold."),
    "mute_time": ("duration", "Time muted."),
    "transfer_calls": ("count", "Transferred calls."),
    "conference_calls": ("count", "Conference calls."),
    "uncode_calls": ("count", "Calls left without an activity code."),
    # preview dialling (agent_15/16 examples: HH:MM:SS and "28.81 %")
    "date_preview": ("datetime", "When the preview started."),
    "time_preview": ("duration", "Preview time."),
    "ready": ("duration", "Time ready."),
    "talk": ("duration", "Talk time."),
    "not_ready_acw": ("duration", "Not-ready and after-call work time."),
    "auxiliary_times": ("duration", "Time in auxiliary states."),
    "ring": ("duration", "Ringing time."),
    "total_duration": ("duration", "Total time."),
    "preview_percent": ("percent", "Preview time as a share of the total."),
    # skills and service levels
    "inbound_calls": ("count", "Inbound calls."),
    "inbound_calls_unique_customers": ("count", "Inbound calls from distinct customers."),
    "answer_calls": ("count", "Answered calls."),
    "abandon_calls": ("count", "Abandoned calls."),
    "service_level_10seg": ("percent", "Calls answered within 10 seconds."),
    "service_level_20seg": ("percent", "Calls answered within 20 seconds."),
    "service_level_30seg": ("percent", "Calls answered within 30 seconds."),
    "service_level_up": ("percent", "Service-level gain."),
    "abandon": ("percent", "Abandoned share of inbound calls."),
    "asa": ("duration", "Average speed of answer."),
    "ata": ("duration", "Average time to abandon."),
    "att": ("duration", "Average talk time."),
    "acw": ("duration", "Average after-call work time."),
    "wait_time": ("duration", "Waiting time."),
    "agents_needed": ("count", "Agents needed to serve the hour."),
    "answer_time": ("duration", "Time to answer."),
    "abandon_time": ("duration", "Time before abandoning."),
    "answer_0seg_10seg": ("count", "Calls answered after 0-10 seconds."),
    "answer_11seg_20seg": ("count", "Calls answered after 11-20 seconds."),
    "answer_21seg_30seg": ("count", "Calls answered after 21-30 seconds."),
    "answer_31seg_40seg": ("count", "Calls answered after 31-40 seconds."),
    "answer_41seg_50seg": ("count", "Calls answered after 41-50 seconds."),
    "anwers_greater_than_51seg": ("count", "Calls answered after more than 51 seconds."),
    "abandon_0seg_10seg": ("count", "Calls abandoned after 0-10 seconds."),
    "abandon_11seg_20_seg": ("count", "Calls abandoned after 11-20 seconds."),
    "abandon_21seg_30seg": ("count", "Calls abandoned after 21-30 seconds."),
    "abandon_31seg_40seg": ("count", "Calls abandoned after 31-40 seconds."),
    "abandon_41seg_50seg": ("count", "Calls abandoned after 41-50 seconds."),
    "abandon_greater_than_51seg": ("count", "Calls abandoned after more than 51 seconds."),
    # call detail records and costs
    "cost": ("number", "Cost."),
    "minutes": ("number", "Minutes."),
    "time_seg": ("duration", "Duration."),
    "time_min": ("number", "Duration, in minutes."),
    "percentage": ("percent", "Share of the calls."),
    "comment": ("text", "Comment."),
    "comments": ("text", "Comments."),
    "comments_customer_reg": ("text", "Comments on the customer record."),
    "type_of_row": ("text", "Row type: PREVIEW (record), CALL (one call) or TOTAL."),
    "file_name": ("text", "Recording file name."),
    "errors": ("text", "Errors reported for the message."),
    "last_update": ("datetime", "Last status update."),
    "template": ("text", "WhatsApp template."),
    "message": ("text", "Message text."),
    "from": ("text", "Sender."),
    "from_name": ("text", "Sender name."),
    "to": ("text", "Recipient."),
    "to_name": ("text", "Recipient name (`chat bot` for the bot)."),
    "subject": ("text", "Subject."),
    "body": ("text", "Body."),
    "answer": ("text", "Answer."),
    "attachments": ("text", "Attachments."),
    "cod_description": ("text", "Description of the activity code."),
    "date_creation": ("datetime", "When the case was created."),
    "close_date": ("datetime", "When the case was closed."),
    "evaluation_survey": ("text", "Survey evaluation."),
    # counts of things
    "interactions": ("count", "Interactions."),
    "interaction": ("count", "Interactions (Wolkvox's spelling in this report)."),
    "total": ("count", "Times used."),
    "total_chats": ("count", "Chats handled."),
    "total_chatbot": ("count", "Chats handled by the chatbot."),
    "total_agents": ("count", "Chats handled by agents."),
    "surveys": ("count", "Surveys answered."),
    "evaluations": ("count", "Evaluations."),
    "attempts": ("count", "Callback attempts."),
    "times_chatted": ("count", "Messages exchanged with the chatbot."),
    "customer_chars": ("count", "Characters written by the customer."),
    "agent_chars": ("count", "Characters written by the agent."),
    "total_chars": ("count", "Characters in total."),
    "characters": ("count", "Characters."),
    "nlp_amount": ("count", "NLP requests."),
    "yes": ("count", "Evaluations answered yes."),
    "no": ("count", "Evaluations answered no."),
    # chats
    "chat_duration": ("duration", "Chat duration."),
    "time_on_agent": ("duration", "Time with the agent."),
    "last_participant_who_spoke": ("text", "Who wrote last."),
    "last_sender": ("text", "Who wrote last."),
    "extra_field": ("text", "Extra field configured for the chat."),
    "agent_anwers": ("count", "Agent answers (Wolkvox's spelling)."),
    "time_on_chatbot": ("duration", "Time with the chatbot."),
    "time_with_agent": ("duration", "Time with the agent."),
    "start_date": ("datetime", "Start."),
    "end_date": ("datetime", "End."),
    "closing_time": ("duration", "Time to close."),
    "close_time": ("duration", "Time to close."),
    "tmo": ("duration", "Average operation time (TMO)."),
    "percent_transfer": ("percent", "Chats transferred."),
    "source_url": ("text", "URL of the ad or post."),
    "source_type": ("text", "Ad or post."),
    "media_type": ("text", "Media type of the ad."),
    "media_url": ("text", "Media URL of the ad."),
    "ad_chatbot": ("count", "Ad chats handled by the chatbot."),
    "ad_agents": ("count", "Ad chats handled by agents."),
    "post_chatbot": ("count", "Post chats handled by the chatbot."),
    "post_agents": ("count", "Post chats handled by agents."),
    # IVR, routing, bots
    "dn_transfer": ("text", "Number the IVR transferred to."),
    "time_on_rp": ("duration", "Time in the routing point."),
    "end_date_rp": ("datetime", "When the call left the routing point."),
    "time_on_skill": ("duration", "Time in the skill."),
    "total_time": ("duration", "Total time."),
    "ivr_minutes": ("number", "IVR minutes."),
    "ivr_time": ("duration", "Time in the IVR."),
    "asr_time": ("duration", "Speech-recognition time."),
    "nlp_credits": ("number", "NLP credits used."),
    "tts_credits": ("number", "Text-to-speech credits used."),
    "credits": ("number", "Credits used."),
    "units": ("number", "Units used."),
    "billed_minutes": ("number", "Billed minutes."),
    "treatment": ("text", "Smart-wait treatment."),
    "customer_say_no": ("count", "Customers who declined the callback."),
    "customer_say_yes": ("count", "Customers who accepted the callback."),
    "recall_fail": ("count", "Callbacks that failed."),
    "recall_ok": ("count", "Callbacks that succeeded."),
    "date_inbound_call": ("datetime", "When the inbound call came in."),
    "date_last_outbound_call": ("datetime", "When the last callback was made."),
    "time_between_calls": ("duration", "Time between the calls."),
    "voice_message": ("text", "Voice message left."),
    "voice_message_duration": ("duration", "Voice message duration."),
    "average": ("number", "Average score."),
    "language": ("text", "Language."),
    "recognized_text": ("text", "Recognized text."),
    "tts_text": ("text", "Text spoken."),
    "text": ("text", "Text."),
    "summary": ("text", "Summary."),
    "customer_query": ("text", "What the customer asked."),
    "routing_answer": ("text", "The routing point's answer."),
    "second_event": ("text", "Second event."),
    "attempt": ("count", "Attempt number."),
    "type_nlp": ("text", "NLP type."),
    "nlp_channel": ("text", "Channel of the NLP request."),
    "chars_send": ("count", "Characters sent."),
    "chars_answer": ("count", "Characters answered."),
    # quality and speech analytics
    "accuracy": ("percent", "Accuracy."),
    "precision_unit_critical_error": ("percent", "Precision (unit critical errors)."),
    "precision_opportunity_critical_error": (
        "percent",
        "Precision (opportunity critical errors).",
    ),
    "precision_opportunity_error": ("percent", "Precision (opportunity errors)."),
    "survey": ("text", "Evaluation form."),
    "category": ("text", "Category."),
    "category01": ("text", "First category."),
    "attribute": ("text", "Quality attribute."),
    "type_error": ("text", "Error type."),
    "yes/no": ("text", "Whether the attribute was met."),
    "feedback": ("text", "Feedback."),
    "ai_comment": ("text", "AI comment."),
    "percent": ("percent", "Share of the total."),
    "silence": ("percent", "Silence in the agent's calls."),
    "slow_to_greet": ("percent", "Calls the agent was slow to greet."),
    "time_silence": ("duration", "Silence time."),
    "greeting": ("text", "Whether the agent greeted."),
    "greeting_agent_name": ("text", "Whether the agent said their name, and the name said."),
    "audio_text": ("text", "Transcript."),
    "question": ("text", "Question asked."),
    "explation": ("text", "Explanation (Wolkvox's spelling)."),
    # administration lists
    "action": ("text", "Action."),
    "ip": ("text", "IP address."),
    "workstation": ("text", "Workstation."),
    "notification": ("text", "Notification."),
    "operation": ("text", "Operation."),
    "type_ip": ("text", "`temporal` or `permanente`."),
    "description": ("text", "Description."),
    "item": ("text", "What was released: `tel_number` or `id_customer`."),
    "value": ("text", "The released phone number or customer ID."),
    "created_at": ("datetime", "When it was uploaded."),
    "size": ("text", "Size, as Wolkvox writes it."),
    "duration": ("duration", "Duration."),
    "storage": ("text", "Storage used, as Wolkvox writes it."),
    "token_limit": ("count", "Daily call limit."),
    "token_use_today": ("count", "Calls made today with this token."),
    "all_token_today": ("count", "Calls made today with all tokens."),
    "available_consumption_options": ("text", "Consumption options."),
    "hit": ("text", "Whether the code counts as a hit."),
    "chat": ("text", "Whether the code applies to chats."),
    "studio": ("text", "Whether the code applies to studio."),
    "voice": ("text", "Whether the code applies to voice."),
    "ivr_active": ("text", "Whether the IVR is active."),
    "chat_active": ("text", "Whether chat is active."),
    "interaction_active": ("text", "Whether interactions are active."),
    "crm_active": ("text", "Whether the CRM is active."),
    "licenses": ("count", "Licences."),
    **{f"q{n:02d}": ("text", f"Answer (or score) to survey question {n}.") for n in range(1, 11)},
    **{f"opt{n}": ("text", f"Custom column {n} of the campaign record.") for n in range(1, 13)},
}
#: Wolkvox keys that are not their trimmed, lower-case record name.
_SPELLINGS = {
    "asa": ("ASA",),
    "agent_anwers": ("agent_anwers ",),
    "chanel": ("channel",),
    "name_agent": ("agent_name",),
    "id_agent": ("agent_id",),
}


#: Names whose kind no pattern below gives.
_DURATION_NAMES = frozenset(
    {"asa", "ata", "att", "acw", "tmo", "time", "duration", "ring", "talk", "ready"}
    | {"not_ready_acw", "auxiliary_times"}
)
_PERCENT_NAMES = frozenset({"occupancy", "abandon", "percentage"})
_COUNT_NAMES = frozenset(
    {"agent_anwers", "customer_say_no", "customer_say_yes", "recall_fail", "recall_ok"}
    | {"ad_chatbot", "ad_agents", "post_chatbot", "post_agents", "chars_send", "chars_answer"}
    | {"token_limit", "token_use_today", "all_token_today"}
)
_DATETIME_NAMES = frozenset({"last_use", "last_update", "login", "logout"})


def named_kind(name: str) -> Kind | None:
    """The kind a field's name settles, the same in every report; None if the name does not.

    Durations (`aht*`, `asa`, `*_time`, `time_*`, `tmo`, ...) are seconds, except minutes
    (`time_min`, `*_minutes`); percents (`occupancy`, `*percent*`, `service_level*`,
    `abandon`); counts (`*_calls`, `*_chars`, `total_*`, ...); date-times (`date_*`, `*_date`,
    `*_at`, `last_use`, ...). Every declaration agrees (a test checks them all).
    """
    if name == "time_min" or name.endswith("_minutes"):
        return "number"
    if (
        name in _DURATION_NAMES
        or name.startswith(("aht", "time_"))
        or name.endswith(("_time", "_duration"))
    ):
        return "duration"
    if (
        name in _PERCENT_NAMES
        or "percent" in name
        or "porcent" in name
        or name.startswith("service_level")
    ):
        return "percent"
    if name in _COUNT_NAMES or name.endswith(("_calls", "_chars")) or name.startswith("total_"):
        return "count"
    if name in _DATETIME_NAMES or name.startswith("date_") or name.endswith(("_date", "_at")):
        return "datetime"
    return None


def fields(spec: str, *overrides: Field) -> tuple[Field, ...]:
    """The fields named in `spec`, in order; `name*` marks a key field.

    Each name takes its shared meaning, or the one `overrides` gives it.
    """
    own = {field.name: field for field in overrides}
    result = []
    for token in spec.split():
        name = token.rstrip("*")
        if name in own:
            field = own.pop(name)
        else:
            kind, description = _WORDS[name]
            field = Field(name, kind, description, aliases=_SPELLINGS.get(name, ()))
        result.append(dataclasses.replace(field, key=token != name))
    if own:
        raise ValueError(f"overrides for fields not in the spec: {', '.join(own)}")
    return tuple(result)


#: `date` where Wolkvox documents a date and time ("date+time (y-m-d h)").
WHEN = Field("date", "datetime", "When it happened.")
#: `date` where Wolkvox documents a day ("date (y-m-d)").
DAY = Field("date", "date", "Day.")

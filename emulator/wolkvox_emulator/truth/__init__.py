"""The first-class reports' records, computed from the event model: the emulator's truth.

One module per family, like `tap_wolkvox/catalogue/`: agents, skills, calls, chats, campaigns
(the dial attempts) and lists, each keyed by stream name. Each function returns the records the
tap's parser should produce for one request (without the window and partition fields the tap
adds); `values.answer_data` writes them out as Wolkvox would. Every report reads the same
events, so, for one range, agent_1's calls are cdr_1's and cdr_5's rows of that agent,
agent_8's hours add up to agent_1, skill_1's answered calls are skill_10's rows, and
campaign_3's attempts and campaign_7's detections are campaign_4's and campaign_6's counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wolkvox_emulator.truth import agents, calls, campaigns, chats, lists, skills

if TYPE_CHECKING:
    from wolkvox_emulator.truth.world import ListTruth, Truth

#: Dated reports, by stream name.
TRUTH: dict[str, Truth] = {
    **agents.TRUTH,
    **skills.TRUTH,
    **calls.TRUTH,
    **chats.TRUTH,
    **campaigns.TRUTH,
}
#: Undated lists, by stream name.
LISTS: dict[str, ListTruth] = lists.LISTS

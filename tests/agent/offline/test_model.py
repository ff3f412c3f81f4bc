"""OfflineChatModel as a LangChain chat model: bind_tools, deterministic calls to bound tools
only, unique ids, usage metadata, and the two phases (understand, answer)."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent.offline.model import OfflineChatModel
from tools.registry import all_tools

TEXT = "Ivan Petrov wants a 3-bed in Limassol up to 500k, call him Friday at 11"


def _messages(text: str = TEXT) -> list:
    return [SystemMessage("You are Broker Copilot."), HumanMessage(text)]


def test_the_same_conversation_gives_the_same_answer(shared_brokerage):
    model = shared_brokerage.model()
    first, second = model.invoke(_messages()), model.invoke(_messages())
    assert first.tool_calls == second.tool_calls
    assert first.content == second.content
    assert [c["name"] for c in first.tool_calls] == ["save_buyer_request", "schedule_follow_up"]


def test_call_ids_are_unique_and_prefixed(shared_brokerage):
    reply = shared_brokerage.model().invoke(_messages())
    ids = [call["id"] for call in reply.tool_calls]
    assert len(set(ids)) == len(ids) == 2
    assert all(str(i).startswith("off-") for i in ids)
    later = shared_brokerage.model().invoke(
        [*_messages(), reply, ToolMessage("ok", tool_call_id=ids[0]), HumanMessage(TEXT)]
    )
    assert not set(ids) & {call["id"] for call in later.tool_calls}


def test_only_bound_tools_are_called(shared_brokerage):
    bound = [tool for tool in all_tools() if tool.name != "schedule_follow_up"]
    reply = shared_brokerage.model(tools=bound).invoke(_messages())
    assert [c["name"] for c in reply.tool_calls] == ["save_buyer_request"]
    assert "isn't available" in str(reply.additional_kwargs.get("offline_say", ""))


def test_without_tools_nothing_is_called(shared_brokerage):
    reply = shared_brokerage.model(tools=[]).invoke(_messages("call Olga Smirnova tomorrow"))
    assert reply.tool_calls == []
    assert "isn't available" in str(reply.content)


def test_usage_metadata_counts_prompt_schemas_and_output(shared_brokerage):
    bare = shared_brokerage.model(tools=[]).invoke(_messages("hi"))
    bound = shared_brokerage.model().invoke(_messages("hi"))
    assert bare.usage_metadata is not None and bound.usage_metadata is not None
    assert bare.usage_metadata["input_tokens"] > 0
    assert bare.usage_metadata["output_tokens"] > 0
    # The bound tools' schemas are part of every prompt.
    assert bound.usage_metadata["input_tokens"] > bare.usage_metadata["input_tokens"] + 500
    usage = bound.usage_metadata
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_tool_results_switch_to_the_answer_phase(shared_brokerage):
    model = shared_brokerage.model()
    understood = model.invoke(_messages("call Olga Smirnova tomorrow at 10"))
    [call] = understood.tool_calls
    result = "Follow-up f-9 scheduled: call Olga Smirnova, Wed 11 Mar 10:00."
    answered = model.invoke(
        [
            *_messages("call Olga Smirnova tomorrow at 10"),
            understood,
            ToolMessage(result, tool_call_id=call["id"]),
        ]
    )
    assert isinstance(answered, AIMessage)
    assert answered.tool_calls == []
    assert answered.content == result
    assert answered.usage_metadata is not None


def test_bind_tools_returns_a_copy(shared_brokerage):
    model = OfflineChatModel(
        backend=shared_brokerage.backend, actor=shared_brokerage.actors["anna"]
    )
    bound = model.bind_tools(all_tools())
    assert model.tool_names == ()
    assert "schedule_follow_up" in bound.tool_names  # type: ignore[attr-defined]

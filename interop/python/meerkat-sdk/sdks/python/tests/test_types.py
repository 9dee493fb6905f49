import asyncio

"""Conformance tests for Meerkat Python SDK types and events."""

import base64
import json
from dataclasses import MISSING, replace
from pathlib import Path
from typing import Literal, get_args, get_origin, get_type_hints

import pytest


def _make_member_ref(mob_id: str, agent_identity: str) -> str:
    """Build an opaque wire `member_ref` token using the same shape the
    server emits (``base64url({"m": mob_id, "a": agent_identity})``).

    The Python SDK only forwards `member_ref` opaquely — it never decodes
    it — so any non-empty string would satisfy the parser. We still mirror
    the server-side encoding here so test fixtures stay realistic and a
    future round-trip decode assertion would succeed without churn.
    """
    payload = json.dumps({"m": mob_id, "a": agent_identity}, separators=(",", ":"))
    return (
        base64.urlsafe_b64encode(payload.encode("utf-8")).rstrip(b"=").decode("ascii")
    )


def _exact_helper_result(
    mob_id: str,
    agent_identity: str,
    *,
    output: str = "ok",
    tokens_used: int = 1,
    result_label: str = "helper_result",
    retirement_error: str | None = None,
) -> dict:
    result = {
        "output": output,
        "tokens_used": tokens_used,
        "agent_identity": agent_identity,
        "member_ref": _make_member_ref(mob_id, agent_identity),
        "bounded_result": {
            "label": result_label,
            "status": "completed",
            "text": output,
        },
        "session_id": f"session-{agent_identity}",
        "usage": {"input_tokens": 3, "output_tokens": tokens_used},
        "turns": 1,
        "tool_calls": 0,
    }
    if retirement_error is not None:
        result["retirement_error"] = retirement_error
    return result


def _agent_event_envelope(
    payload: dict, *, event_id: str = "00000000-0000-4000-8000-000000000010"
) -> dict:
    return {
        "event_id": event_id,
        "source": {
            "type": "session",
            "session_id": "00000000-0000-4000-8000-000000000001",
        },
        "seq": 7,
        "timestamp_ms": 1_700_000_000_000,
        "payload": payload,
    }


def test_runtime_host_capabilities_expose_typed_multi_host_feature_flags():
    from meerkat.generated.types import (
        ContractVersion,
        RuntimeHostCapabilities,
        RuntimeHostFeatureFlags,
    )

    capabilities_hints = get_type_hints(RuntimeHostCapabilities)
    assert capabilities_hints["contract_version"] is ContractVersion
    assert capabilities_hints["features"] is RuntimeHostFeatureFlags
    version_hints = get_type_hints(ContractVersion)
    assert version_hints == {"major": int, "minor": int, "patch": int}
    version = ContractVersion(major=0, minor=7, patch=29)
    flags = RuntimeHostFeatureFlags(
        runtime_backed_sessions=True,
        mobs=True,
        mcp_live=True,
        comms=True,
        blobs=True,
        session_events=True,
        session_streams=True,
        schedules=True,
        skills=True,
        event_replay=True,
        artifacts=True,
        approvals=True,
        external_members=True,
        secure_remote_rpc=True,
        multi_host_mobs=True,
    )
    capabilities = RuntimeHostCapabilities(
        contract_version=version,
        features=flags,
    )
    assert capabilities.contract_version.patch == 29
    assert flags.multi_host_mobs is True


def test_multi_host_bridge_contract_types_are_public_root_exports():
    import meerkat
    from meerkat import types as public_types

    names = (
        "MobGrantScopesParams",
        "MobGrantScopesResult",
        "MobRevokeScopesParams",
        "MobRevokeScopesResult",
        "MobGrantsResult",
        "MobHardCancelParams",
        "MobHardCancelResult",
        "WireGrantRecord",
        "WireControlScope",
        "BridgeCommandCancelTrackedMemberInput",
        "BridgeCommandObserveSupervisorRotation",
        "BridgeHostCapabilityRequirements",
        "BridgeTurnOutcomeRecord",
        "BridgeTrackedInputCancelOutcome",
        "WireFlowTurnOutcome",
        "WireFlowFailureDetail",
        "LiveRefreshResult",
        "LiveRefreshStatus",
        "SessionContentBlock",
        "SessionContentInput",
        "TranscriptUserRole",
        "WireTranscriptSource",
        "WireTranscriptSourceSpoken",
        "WireTranscriptSourceUnknown",
    )
    for name in names:
        assert name in meerkat.__all__
        assert getattr(meerkat, name) is getattr(public_types, name)


def test_system_prompt_override_is_a_public_typed_tri_state():
    import meerkat
    from meerkat import types as public_types

    assert meerkat.SystemPromptOverride is public_types.SystemPromptOverride
    assert meerkat.SystemPromptDisable is public_types.SystemPromptDisable
    assert set(get_args(meerkat.SystemPromptOverride)) == {
        str,
        meerkat.SystemPromptDisable,
    }
    action = get_type_hints(meerkat.SystemPromptDisable)["action"]
    assert get_origin(action) is Literal
    assert get_args(action) == ("disable",)
    for create_method in (
        meerkat.MeerkatClient.create_session,
        meerkat.MeerkatClient.create_session_streaming,
        meerkat.MeerkatClient.create_deferred_session,
        meerkat.MeerkatClient._build_create_params,
    ):
        system_prompt = get_type_hints(create_method)["system_prompt"]
        assert set(get_args(system_prompt)) == {
            str,
            meerkat.SystemPromptDisable,
            type(None),
        }


try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

from meerkat import (
    CONTRACT_VERSION,
    Capability,
    McpAddParams,
    McpLiveOpResponse,
    MeerkatClient,
    MobControlScope,
    MobGrantRecord,
    RunResult,
    SchemaWarning,
    SessionAssistantBlock,
    SessionHistory,
    SessionInfo,
    SessionDetails,
    SessionMessage,
    SessionSummary,
    SessionToolResult,
    SkillKey,
    SkillQuarantineDiagnostic,
    SkillRuntimeDiagnostics,
    SourceHealthSnapshot,
    Session,
    DeferredSession,
    Usage,
)
from meerkat.errors import (
    CapabilityUnavailableError,
    MeerkatError,
    SessionNotFoundError,
    SkillNotFoundError,
)
from meerkat.events import (
    AgentErrorReason,
    AgentErrorReport,
    BackgroundJobCompleted,
    BoundaryAppliedToolConfigChangeStatus,
    BudgetWarning,
    CompactionStarted,
    Event,
    ExtractionFailed,
    ExtractionSucceeded,
    HookDenied,
    InteractionComplete,
    InteractionFailed,
    Retrying,
    RunCompleted,
    RunFailed,
    RunStarted,
    SkillsResolved,
    SkillResolutionFailed,
    SkillResolutionFailureReason,
    StreamTruncated,
    ToolConfigChanged,
    TextDelta,
    TranscriptRewriteCommitted,
    ToolCallRequested,
    ToolExecutionCompleted,
    ToolResultReceived,
    TurnCompleted,
    TurnStarted,
    UnknownEvent,
    parse_event,
)
from meerkat.generated.types import (
    RuntimeStateResult as GeneratedRuntimeStateResult,
)


def test_contract_version():
    """Contract version should be semver, including optional prerelease labels."""
    core = CONTRACT_VERSION.split("-", 1)[0].split("+", 1)[0]
    parts = core.split(".")
    assert len(parts) == 3
    for part in parts:
        int(part)


def test_python_mob_grant_types_are_public_and_closed():
    assert set(get_args(MobControlScope)) == {
        "list",
        "read_history",
        "subscribe_events",
        "send_command",
        "cancel",
        "retire",
        "wire_topology",
        "live",
        "admin_host",
        "admin_grants",
    }
    assert set(MobGrantRecord.__required_keys__) == {"principal", "scopes"}


def test_member_progress_snapshot_is_exported_from_package_root():
    from meerkat import WireMemberProgressSnapshot as RootMemberProgress
    from meerkat.generated.types import (
        WireMemberProgressSnapshot as GeneratedMemberProgress,
    )
    from meerkat.types import WireMemberProgressSnapshot as PublicMemberProgress

    assert RootMemberProgress is PublicMemberProgress
    assert PublicMemberProgress is GeneratedMemberProgress
    snapshot = RootMemberProgress(
        run_state="run_open",
        in_flight_work=1,
        last_progress_at_ms=1,
        last_progress_event="execution_advanced",
        health="healthy",
    )
    assert snapshot.health == "healthy"


def test_contract_version_matches_package_version():
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    data = tomllib.loads(pyproject.read_text())
    assert CONTRACT_VERSION == data["project"]["version"]


def test_realtime_image_chunk_is_exported_from_public_types():
    from meerkat import RealtimeInputChunk as RootRealtimeInputChunk
    from meerkat import RealtimeInputKind as RootRealtimeInputKind
    from meerkat import RealtimeImageChunk as RootRealtimeImageChunk
    from meerkat.generated.types import (
        RealtimeImageChunk as GeneratedRealtimeImageChunk,
        RealtimeInputChunk as GeneratedRealtimeInputChunk,
        RealtimeInputKind as GeneratedRealtimeInputKind,
    )
    from meerkat.types import RealtimeImageChunk, RealtimeInputChunk, RealtimeInputKind

    assert RootRealtimeImageChunk is RealtimeImageChunk
    assert RealtimeImageChunk is GeneratedRealtimeImageChunk
    assert RootRealtimeInputChunk is RealtimeInputChunk
    assert RealtimeInputChunk is GeneratedRealtimeInputChunk
    assert RootRealtimeInputKind is RealtimeInputKind
    assert RealtimeInputKind is GeneratedRealtimeInputKind
    chunk = RealtimeImageChunk(
        idempotency_key="image-turn-1",
        mime_type="image/png",
        data="iVBORw0KGgo=",
    )
    assert chunk.idempotency_key == "image-turn-1"
    assert chunk.mime_type == "image/png"
    assert chunk.data == "iVBORw0KGgo="


def test_model_profile_type_uses_wire_web_search_key():
    from meerkat import ModelProfile
    from meerkat.types import ResolvedModelCapabilities

    model_profile_fields = set(ModelProfile.__annotations__)
    assert "supports_web_search" in model_profile_fields
    assert "web_search" not in model_profile_fields

    resolved_fields = set(ResolvedModelCapabilities.__annotations__)
    assert "web_search" in resolved_fields


def test_generated_runtime_state_result_carries_state():
    result = GeneratedRuntimeStateResult(state="idle")

    assert result.state == "idle"


def test_generated_mob_contract_types_include_spawn_and_turn_start_shapes():
    from meerkat.generated.types import (
        MobMemberStatusResult as GeneratedMobMemberStatusResult,
        MobSpawnParams as GeneratedMobSpawnParams,
        MobSpawnResult as GeneratedMobSpawnResult,
        MobTurnStartParams as GeneratedMobTurnStartParams,
        WireMemberLaunchMode as GeneratedWireMemberLaunchMode,
        WireMobProfile as GeneratedWireMobProfile,
        WireMobToolConfig as GeneratedWireMobToolConfig,
        WireToolAccessPolicy as GeneratedWireToolAccessPolicy,
        WireToolFilter as GeneratedWireToolFilter,
    )

    spawn = GeneratedMobSpawnParams(
        mob_id="mob-1",
        profile="worker",
        agent_identity="worker-1",
    )
    assert spawn.mob_id == "mob-1"

    spawn_with_advanced = GeneratedMobSpawnParams(
        mob_id="mob-1",
        profile="worker",
        agent_identity="worker-2",
        placement="host-b",
        launch_mode={"mode": "fresh"},
        tool_access_policy={"type": "allow_list", "value": ["grep"]},
        inherited_tool_filter={"Allow": ["grep"]},
        override_profile=GeneratedWireMobProfile(model="claude-sonnet-4-6"),
    )
    assert spawn_with_advanced.launch_mode == {"mode": "fresh"}
    assert spawn_with_advanced.placement == "host-b"
    spawn_hints = get_type_hints(GeneratedMobSpawnParams)
    assert "Any" not in str(spawn_hints["launch_mode"])
    assert "Any" not in str(spawn_hints["tool_access_policy"])
    assert "Any" not in str(spawn_hints["inherited_tool_filter"])
    assert "WireMobProfile" in str(spawn_hints["override_profile"])
    # Deleted multi-host O4 vocabulary must stay deleted.
    assert "budget_split_policy" not in spawn_hints
    tool_config_hints = get_type_hints(GeneratedWireMobToolConfig)
    assert "rust_bundles" not in tool_config_hints
    assert GeneratedWireMemberLaunchMode is not None
    assert GeneratedWireToolAccessPolicy is not None
    assert GeneratedWireToolFilter is not None

    turn = GeneratedMobTurnStartParams(
        mob_id="mob-1",
        agent_identity="worker-1",
        prompt=[{"type": "text", "text": "continue"}],
        model="gpt-test",
        provider_params={"action": "clear"},
    )
    assert turn.prompt == [{"type": "text", "text": "continue"}]
    assert turn.model == "gpt-test"
    assert turn.provider_params == {"action": "clear"}

    result = GeneratedMobSpawnResult(
        mob_id="mob-1",
        agent_identity="worker-1",
        member_ref="opaque-member-ref",
    )
    assert result.member_ref == "opaque-member-ref"

    status = GeneratedMobMemberStatusResult(
        status="active",
        member_ref="opaque-member-ref",
        tokens_used=0,
        is_final=False,
    )
    assert status.status == "active"
    assert status.member_ref == "opaque-member-ref"


def test_generated_multi_host_mob_nested_contracts_stay_typed():
    from meerkat.generated.types import (
        MobBindHostResult,
        MobGrantScopesResult,
        MobGrantsResult,
        MobHostsResult,
        MobHostStatus,
        MobMemberHistoryResult,
        MobRouteInstallsResult,
        WireGrantRecord,
        WireHistoryRow,
        WireHostCapabilityFlags,
        WireHostBindingDescriptor,
        WireMemberHistoryPageBody,
        WirePeerConnectivitySnapshot,
        WireRouteInstallObligation,
        WireUnreachablePeer,
    )

    history_hints = get_type_hints(MobMemberHistoryResult)
    hosts_hints = get_type_hints(MobHostsResult)
    bind_hints = get_type_hints(MobBindHostResult)
    routes_hints = get_type_hints(MobRouteInstallsResult)
    grant_hints = get_type_hints(MobGrantScopesResult)
    grants_hints = get_type_hints(MobGrantsResult)
    history_page_hints = get_type_hints(WireMemberHistoryPageBody)
    connectivity_hints = get_type_hints(WirePeerConnectivitySnapshot)

    assert history_hints["page"] is WireMemberHistoryPageBody
    assert get_args(history_page_hints["messages"])[0] is WireHistoryRow
    unreachable_list = next(
        candidate
        for candidate in get_args(connectivity_hints["unreachable_peers"])
        if get_origin(candidate) is list
    )
    assert get_args(unreachable_list)[0] is WireUnreachablePeer
    assert get_args(hosts_hints["hosts"])[0] is MobHostStatus
    assert bind_hints["capabilities"] is WireHostCapabilityFlags
    assert get_args(routes_hints["outstanding"])[0] is WireRouteInstallObligation
    assert grant_hints["record"] is WireGrantRecord
    assert get_args(grants_hints["grants"])[0] is WireGrantRecord


def test_generated_supervisor_bridge_nested_contracts_stay_typed():
    import meerkat.generated.types as generated_types
    from meerkat.generated.types import (
        BridgeCommandDeliverMemberInput,
        BridgeCommandDeclareMemberOutboundTaint,
        BridgeCommandHardCancelMember,
        BridgeCommandOpenMemberLiveChannel,
        BridgeCommandPollMemberEvents,
        BridgeCommandWireMember,
        BridgeDeliveryPayload,
        BridgeDeliveryRejectionCauseStaleMemberIncarnation,
        BridgeDeliveryRejectionCauseStaleMemberResidency,
        BridgeEventCursor,
        BridgeMemberIncarnation,
        BridgeMobPeerOverlayHandoff,
        BridgeOutboundTaintTarget,
        BridgeOutboundTaintTargetPlaced,
        BridgePeerWiringPayload,
        BridgeRejectionCauseMaterializeBuildRejectedPayload,
        BridgeRejectionCauseScopeDeniedPayload,
        BridgeTurnDirective,
        BridgeTurnOutcomeAck,
        LiveOpenTransport,
        MemberBuildRejection,
        OperationId,
        RunId,
        WireControlScope,
    )

    def nullable_members(hint):
        members = set(get_args(hint))
        assert type(None) in members
        members.remove(type(None))
        return members

    delivery_hints = get_type_hints(BridgeDeliveryPayload)
    assert BridgeMemberIncarnation in get_args(delivery_hints["expected_member"])
    assert BridgeTurnDirective in get_args(delivery_hints["turn"])

    deliver_hints = get_type_hints(BridgeCommandDeliverMemberInput)
    outbound_taint_hints = get_type_hints(BridgeCommandDeclareMemberOutboundTaint)
    hard_cancel_hints = get_type_hints(BridgeCommandHardCancelMember)
    poll_hints = get_type_hints(BridgeCommandPollMemberEvents)
    live_open_hints = get_type_hints(BridgeCommandOpenMemberLiveChannel)
    wire_hints = get_type_hints(BridgeCommandWireMember)
    peer_wiring_hints = get_type_hints(BridgePeerWiringPayload)
    stale_member_hints = get_type_hints(
        BridgeDeliveryRejectionCauseStaleMemberIncarnation
    )
    stale_residency_hints = get_type_hints(
        BridgeDeliveryRejectionCauseStaleMemberResidency
    )

    assert nullable_members(deliver_hints["expected_member"]) == {
        BridgeMemberIncarnation
    }
    assert nullable_members(deliver_hints["objective_id"]) == {str}
    assert nullable_members(deliver_hints["turn"]) == {BridgeTurnDirective}
    assert set(get_args(BridgeOutboundTaintTarget)).issubset(
        nullable_members(outbound_taint_hints["target"])
    )
    assert BridgeOutboundTaintTargetPlaced in get_args(BridgeOutboundTaintTarget)
    placed_taint_hints = get_type_hints(BridgeOutboundTaintTargetPlaced)
    assert placed_taint_hints["placed"] is BridgeMemberIncarnation
    # Generated modules postpone annotations, so TypedDict's runtime
    # `__required_keys__` cannot see Required[...] reliably. Pin the emitted
    # qualifier directly, matching the other generated-TypedDict checks.
    assert "Required" in str(BridgeOutboundTaintTargetPlaced.__annotations__["placed"])
    assert hard_cancel_hints["expected_run_id"] is RunId
    assert hard_cancel_hints["operation_id"] is OperationId
    assert poll_hints["cursor"] == BridgeEventCursor
    assert get_args(poll_hints["outcome_acks"])[0] is BridgeTurnOutcomeAck
    assert nullable_members(live_open_hints["transport"]) == {LiveOpenTransport}
    assert nullable_members(wire_hints["mob_peer_overlay"]) == {
        BridgeMobPeerOverlayHandoff
    }
    assert BridgeMobPeerOverlayHandoff in nullable_members(
        peer_wiring_hints["mob_peer_overlay"]
    )
    assert stale_member_hints["current"] is BridgeMemberIncarnation
    assert (
        "current" in BridgeDeliveryRejectionCauseStaleMemberResidency.__optional_keys__
    )
    assert nullable_members(stale_residency_hints["current"]) == {
        BridgeMemberIncarnation
    }

    materialize_rejection_hints = get_type_hints(
        BridgeRejectionCauseMaterializeBuildRejectedPayload
    )
    scope_rejection_hints = get_type_hints(BridgeRejectionCauseScopeDeniedPayload)
    assert materialize_rejection_hints["cause"] == MemberBuildRejection
    assert get_args(scope_rejection_hints["presented"])[0] == WireControlScope
    assert scope_rejection_hints["required"] == WireControlScope

    # Every externally tagged bridge rejection payload is generated as a
    # closed TypedDict. A new typed Rust payload must never silently degrade
    # to `Any` while codegen freshness still passes.
    payload_types = [
        value
        for name, value in vars(generated_types).items()
        if name.endswith("Payload")
        and name.startswith(("BridgeRejectionCause", "MemberBuildRejection"))
    ]
    assert payload_types
    for payload_type in payload_types:
        assert "Any" not in str(get_type_hints(payload_type))


def test_generated_system_notice_typed_payloads_do_not_widen():
    from meerkat.generated.types import (
        DeferredCatalogDelta,
        SystemNoticeBlockComms,
        SystemNoticeBlockToolConfig,
        SystemNoticePeer,
        ToolConfigChangedPayload,
        ToolConfigChangeStatus,
    )

    comms_hints = get_type_hints(SystemNoticeBlockComms)
    tool_config_block_hints = get_type_hints(SystemNoticeBlockToolConfig)
    tool_config_hints = get_type_hints(ToolConfigChangedPayload)

    assert set(get_args(comms_hints["peer"])) == {SystemNoticePeer, type(None)}
    assert tool_config_block_hints["payload"] is ToolConfigChangedPayload
    assert tool_config_hints["status_info"] == ToolConfigChangeStatus
    assert DeferredCatalogDelta in get_args(tool_config_hints["deferred_catalog_delta"])
    assert "Any" not in str(get_type_hints(SystemNoticePeer))
    assert "Any" not in str(tool_config_hints)


def test_multi_host_contracts_and_member_live_types_are_public_and_closed():
    import meerkat as public_sdk
    from meerkat import (
        BridgeBootstrapToken,
        BridgeLiveControlOutcome,
        BridgeLiveControlOutcomeCommitInput,
        BridgeLiveControlOutcomeInterrupt,
        BridgeLiveControlOutcomeRefresh,
        BridgeLiveControlOutcomeTruncate,
        BridgeLiveControlVerb,
        BridgeLiveControlVerbCommitInput,
        BridgeLiveControlVerbInterrupt,
        BridgeLiveControlVerbRefresh,
        BridgeLiveControlVerbTruncate,
        LiveCloseResult,
        LiveOpenResult,
        LiveStatusResult,
        Mob,
        MobBindHostParams,
        MobBindHostResult,
        MobHostStatus,
        MobHostsResult,
        MobMemberHistoryParams,
        MobMemberHistoryResult,
        MobMemberLiveChannelParams,
        MobMemberLiveControlParams,
        MobMemberLiveOpenParams,
        MobMemberLiveStatusParams,
        MobMemberLiveTransport,
        MobRevokeHostParams,
        MobRevokeHostResult,
        MobRouteInstallsResult,
        RealtimeTurningMode,
        WireHistoryRow,
        WireHostBindPhase,
        WireHostBindingDescriptor,
        WireHostBindingDescriptorKind,
        WireHostCapabilityFlags,
        WireHostRef,
        WireMemberHistoryPageBody,
        WireMemberLifecycleCapabilities,
        WireNonPortableResourceKind,
        WireProjectionProvenance,
        WireReachability,
        WireRouteInstallObligation,
        WireTrustedPeerIdentity,
        WireTrustedPeerIdentityEd25519PublicKey,
    )
    from meerkat.generated.types import (
        WireSessionMessage,
        WireSessionMessageBlockAssistant,
        WireSessionMessageSystem,
        WireSessionMessageSystemNotice,
        WireSessionMessageToolResults,
        WireSessionMessageUser,
        WireAssistantBlock,
        WireToolResult,
        SystemNoticeBlock,
    )

    public_contracts = {
        "BridgeBootstrapToken": BridgeBootstrapToken,
        "BridgeLiveControlOutcome": BridgeLiveControlOutcome,
        "BridgeLiveControlOutcomeCommitInput": BridgeLiveControlOutcomeCommitInput,
        "BridgeLiveControlOutcomeInterrupt": BridgeLiveControlOutcomeInterrupt,
        "BridgeLiveControlOutcomeRefresh": BridgeLiveControlOutcomeRefresh,
        "BridgeLiveControlOutcomeTruncate": BridgeLiveControlOutcomeTruncate,
        "BridgeLiveControlVerb": BridgeLiveControlVerb,
        "BridgeLiveControlVerbCommitInput": BridgeLiveControlVerbCommitInput,
        "BridgeLiveControlVerbInterrupt": BridgeLiveControlVerbInterrupt,
        "BridgeLiveControlVerbRefresh": BridgeLiveControlVerbRefresh,
        "BridgeLiveControlVerbTruncate": BridgeLiveControlVerbTruncate,
        "LiveCloseResult": LiveCloseResult,
        "MobBindHostParams": MobBindHostParams,
        "MobBindHostResult": MobBindHostResult,
        "MobHostStatus": MobHostStatus,
        "MobHostsResult": MobHostsResult,
        "MobMemberHistoryParams": MobMemberHistoryParams,
        "MobMemberHistoryResult": MobMemberHistoryResult,
        "MobMemberLiveChannelParams": MobMemberLiveChannelParams,
        "MobMemberLiveControlParams": MobMemberLiveControlParams,
        "MobMemberLiveOpenParams": MobMemberLiveOpenParams,
        "MobMemberLiveStatusParams": MobMemberLiveStatusParams,
        "MobMemberLiveTransport": MobMemberLiveTransport,
        "MobRevokeHostParams": MobRevokeHostParams,
        "MobRevokeHostResult": MobRevokeHostResult,
        "MobRouteInstallsResult": MobRouteInstallsResult,
        "WireHistoryRow": WireHistoryRow,
        "WireHostBindPhase": WireHostBindPhase,
        "WireHostBindingDescriptor": WireHostBindingDescriptor,
        "WireHostBindingDescriptorKind": WireHostBindingDescriptorKind,
        "WireHostCapabilityFlags": WireHostCapabilityFlags,
        "WireHostRef": WireHostRef,
        "WireMemberHistoryPageBody": WireMemberHistoryPageBody,
        "WireMemberLifecycleCapabilities": WireMemberLifecycleCapabilities,
        "WireNonPortableResourceKind": WireNonPortableResourceKind,
        "WireProjectionProvenance": WireProjectionProvenance,
        "WireReachability": WireReachability,
        "WireRouteInstallObligation": WireRouteInstallObligation,
        "WireTrustedPeerIdentity": WireTrustedPeerIdentity,
        "WireTrustedPeerIdentityEd25519PublicKey": WireTrustedPeerIdentityEd25519PublicKey,
    }
    assert public_contracts.keys() <= set(public_sdk.__all__)
    for name, contract in public_contracts.items():
        assert getattr(public_sdk, name) is contract
    assert WireHistoryRow is WireSessionMessage
    assert set(get_args(WireSessionMessage)) == {
        WireSessionMessageSystem,
        WireSessionMessageSystemNotice,
        WireSessionMessageUser,
        WireSessionMessageBlockAssistant,
        WireSessionMessageToolResults,
    }
    assert "transcript_role" in WireSessionMessageUser.__annotations__
    assistant_hints = get_type_hints(
        WireSessionMessageBlockAssistant, include_extras=True
    )
    tool_result_hints = get_type_hints(
        WireSessionMessageToolResults, include_extras=True
    )
    system_notice_hints = get_type_hints(
        WireSessionMessageSystemNotice, include_extras=True
    )
    assert "WireAssistantBlock" in str(assistant_hints["blocks"])
    assert "WireToolResult" in str(tool_result_hints["results"])
    assert "SystemNoticeBlock" in str(system_notice_hints["blocks"])
    assert WireAssistantBlock is not dict
    assert WireToolResult is not dict
    assert SystemNoticeBlock is not dict

    def optional_literal_values(annotation):
        literal = next(
            candidate
            for candidate in get_args(annotation)
            if get_origin(candidate) is Literal
        )
        return set(get_args(literal))

    generated_open_hints = get_type_hints(MobMemberLiveOpenParams)
    client_open_hints = get_type_hints(MeerkatClient.open_mob_member_live)
    mob_open_hints = get_type_hints(Mob.member_live_open)
    expected_turning_modes = {"provider_managed", "explicit_commit"}
    expected_transports = {"websocket", "webrtc"}

    assert (
        optional_literal_values(client_open_hints["turning_mode"])
        == expected_turning_modes
    )
    assert (
        optional_literal_values(mob_open_hints["turning_mode"])
        == expected_turning_modes
    )
    assert (
        optional_literal_values(client_open_hints["transport"]) == expected_transports
    )
    assert optional_literal_values(mob_open_hints["transport"]) == expected_transports
    assert (
        optional_literal_values(generated_open_hints["transport"])
        == expected_transports
    )
    assert set(get_args(MobMemberLiveTransport)) == expected_transports
    assert set(get_args(RealtimeTurningMode)) == expected_turning_modes
    assert "automatic" not in expected_turning_modes
    assert "sse" not in expected_transports

    assert client_open_hints["return"] is LiveOpenResult
    assert mob_open_hints["return"] is LiveOpenResult
    assert (
        get_type_hints(MeerkatClient.close_mob_member_live)["return"] is LiveCloseResult
    )
    assert get_type_hints(Mob.member_live_close)["return"] is LiveCloseResult
    assert (
        get_type_hints(MeerkatClient.mob_member_live_status)["return"]
        is LiveStatusResult
    )
    assert get_type_hints(Mob.member_live_status)["return"] is LiveStatusResult

    client_control_hints = get_type_hints(MeerkatClient.control_mob_member_live)
    mob_control_hints = get_type_hints(Mob.member_live_control)
    assert client_control_hints["verb"] == BridgeLiveControlVerb
    assert mob_control_hints["verb"] == BridgeLiveControlVerb
    assert client_control_hints["return"] == BridgeLiveControlOutcome
    assert mob_control_hints["return"] == BridgeLiveControlOutcome
    control_verbs = {
        get_args(get_type_hints(variant)["verb"])[0]
        for variant in get_args(BridgeLiveControlVerb)
    }
    assert control_verbs == {"commit_input", "interrupt", "truncate", "refresh"}
    assert "pause" not in control_verbs


def test_generated_mob_spawn_many_preserves_nested_contract_types():
    from meerkat.generated.types import (
        MobSpawnManyFailedResult as GeneratedMobSpawnManyFailedResult,
        MobSpawnManyFailureCause as GeneratedMobSpawnManyFailureCause,
        MobSpawnManyParams as GeneratedMobSpawnManyParams,
        MobSpawnManyResult as GeneratedMobSpawnManyResult,
        MobSpawnManyResultEntry as GeneratedMobSpawnManyResultEntry,
        MobSpawnManySpawnedResult as GeneratedMobSpawnManySpawnedResult,
        MobSpawnSpecParams as GeneratedMobSpawnSpecParams,
    )

    params_hints = get_type_hints(GeneratedMobSpawnManyParams)
    assert get_origin(params_hints["specs"]) is list
    assert get_args(params_hints["specs"]) == (GeneratedMobSpawnSpecParams,)

    spec_hints = get_type_hints(GeneratedMobSpawnSpecParams)
    assert "Any" not in str(spec_hints["initial_message"])
    assert "Any" not in str(spec_hints["backend"])
    assert str in get_args(spec_hints["placement"])
    assert "WireAuthBindingRef" in str(spec_hints["auth_binding"])

    result_hints = get_type_hints(GeneratedMobSpawnManyResult)
    assert get_origin(result_hints["results"]) is list
    assert get_args(result_hints["results"]) == (GeneratedMobSpawnManyResultEntry,)

    entry_hints = get_type_hints(GeneratedMobSpawnManyResultEntry)
    assert get_origin(entry_hints["status"]) is Literal
    assert get_args(entry_hints["status"]) == ("spawned", "failed")
    assert get_args(entry_hints["result"]) == (
        GeneratedMobSpawnManySpawnedResult,
        GeneratedMobSpawnManyFailedResult,
    )
    failure_hints = get_type_hints(GeneratedMobSpawnManyFailedResult)
    assert get_origin(failure_hints["cause"]) is Literal
    assert "profile_not_found" in get_args(failure_hints["cause"])
    assert "missing_member_capability" in get_args(failure_hints["cause"])
    assert "structured_data" in failure_hints
    assert GeneratedMobSpawnManyFailureCause == failure_hints["cause"]

    spec = GeneratedMobSpawnSpecParams(
        profile="worker",
        agent_identity="worker-1",
        initial_message="hello",
        placement="host-b-peer",
    )
    params = GeneratedMobSpawnManyParams(mob_id="mob-1", specs=[spec])
    assert params.specs[0].agent_identity == "worker-1"
    assert params.specs[0].placement == "host-b-peer"

    entry = GeneratedMobSpawnManyResultEntry(
        status="spawned",
        result=GeneratedMobSpawnManySpawnedResult(
            agent_identity="worker-1",
            member_ref="opaque-member-ref",
        ),
    )
    failure = GeneratedMobSpawnManyResultEntry(
        status="failed",
        result=GeneratedMobSpawnManyFailedResult(
            cause="profile_not_found",
            message="profile missing",
        ),
    )
    result = GeneratedMobSpawnManyResult(results=[entry, failure])
    assert result.results[0].result.member_ref == "opaque-member-ref"
    assert result.results[1].result.cause == "profile_not_found"
    assert result.results[1].result.message == "profile missing"


def test_generated_mob_wire_members_batch_preserves_report_types():
    from meerkat.generated.types import (
        MobWireMembersBatchEdge as GeneratedMobWireMembersBatchEdge,
        MobWireMembersBatchParams as GeneratedMobWireMembersBatchParams,
        MobWireMembersBatchResult as GeneratedMobWireMembersBatchResult,
    )

    params_hints = get_type_hints(GeneratedMobWireMembersBatchParams)
    assert get_origin(params_hints["edges"]) is list
    assert get_args(params_hints["edges"]) == (GeneratedMobWireMembersBatchEdge,)

    report_hints = get_type_hints(GeneratedMobWireMembersBatchResult)
    assert report_hints["requested"] is int
    assert get_args(report_hints["wired"]) == (GeneratedMobWireMembersBatchEdge,)
    assert get_args(report_hints["already_wired"]) == (
        GeneratedMobWireMembersBatchEdge,
    )

    report = GeneratedMobWireMembersBatchResult(
        requested=2,
        wired=[GeneratedMobWireMembersBatchEdge(a="lead", b="worker")],
        already_wired=[GeneratedMobWireMembersBatchEdge(a="lead", b="reviewer")],
    )
    assert report.wired[0].a == "lead"
    assert report.already_wired[0].b == "reviewer"


@pytest.mark.asyncio
async def test_spawn_mob_members_preserves_generated_result_envelope_failures():
    from meerkat import MobSpawnManyResult as PublicMobSpawnManyResult
    from meerkat import MobSpawnManyResultEntry as PublicMobSpawnManyResultEntry
    from meerkat.generated.types import (
        MobSpawnManyResult as GeneratedMobSpawnManyResult,
    )
    from meerkat.generated.types import (
        MobSpawnManyResultEntry as GeneratedMobSpawnManyResultEntry,
    )

    assert PublicMobSpawnManyResult is GeneratedMobSpawnManyResult
    assert PublicMobSpawnManyResultEntry is GeneratedMobSpawnManyResultEntry

    client = MeerkatClient()

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        assert method == "mob/spawn_many"
        assert params == {
            "mob_id": "mob-1",
            "specs": [
                {
                    "profile": "worker",
                    "agent_identity": "worker-1",
                    "placement": "host-b-peer",
                }
            ],
        }
        return {
            "results": [
                {
                    "status": "spawned",
                    "result": {
                        "agent_identity": "worker-1",
                        "member_ref": _make_member_ref("mob-1", "worker-1"),
                    },
                },
                {
                    "status": "failed",
                    "result": {
                        "cause": "missing_member_capability",
                        "message": "host lacks tracked input cancellation",
                        "structured_data": {
                            "cause": "provider_auth",
                            "kind": "interactive_login_required",
                            "provider": "openai",
                        },
                    },
                },
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    result = await client.spawn_mob_members(
        "mob-1",
        [
            {
                "profile": "worker",
                "agent_identity": "worker-1",
                "placement": "host-b-peer",
            }
        ],
    )

    assert isinstance(result, GeneratedMobSpawnManyResult)
    assert [entry.status for entry in result.results] == ["spawned", "failed"]
    assert result.results[0].result.agent_identity == "worker-1"
    assert result.results[0].result.member_ref == _make_member_ref("mob-1", "worker-1")
    assert result.results[1].result.cause == "missing_member_capability"
    assert result.results[1].result.message == "host lacks tracked input cancellation"
    assert result.results[1].result.structured_data == {
        "cause": "provider_auth",
        "kind": "interactive_login_required",
        "provider": "openai",
    }


@pytest.mark.asyncio
async def test_mob_wire_members_batch_normalizes_payload_and_parses_report():
    from meerkat.generated.types import MobWireMembersBatchEdge

    client = MeerkatClient()
    calls = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        calls.append((method, params))
        return {
            "requested": 3,
            "wired": [{"a": "lead", "b": "worker"}],
            "already_wired": [{"a": "lead", "b": "reviewer"}],
        }

    client._request = fake_request  # type: ignore[method-assign]

    report = await client.mob_wire_members_batch(
        "mob-1",
        [
            ("lead", "worker"),
            ["lead", "reviewer"],
            MobWireMembersBatchEdge(a="lead", b="critic"),
        ],
    )

    assert calls == [
        (
            "mob/wire_members_batch",
            {
                "mob_id": "mob-1",
                "edges": [
                    {"a": "lead", "b": "worker"},
                    {"a": "lead", "b": "reviewer"},
                    {"a": "lead", "b": "critic"},
                ],
            },
        )
    ]
    assert report.requested == 3
    assert report.wired == [MobWireMembersBatchEdge(a="lead", b="worker")]
    assert report.already_wired == [MobWireMembersBatchEdge(a="lead", b="reviewer")]


@pytest.mark.asyncio
async def test_mob_wire_members_batch_convenience_accepts_dict_edges():
    client = MeerkatClient()

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        assert method == "mob/wire_members_batch"
        assert params == {
            "mob_id": "mob-1",
            "edges": [{"a": "lead", "b": "worker"}],
        }
        return {
            "requested": 1,
            "wired": [],
            "already_wired": [{"a": "lead", "b": "worker"}],
        }

    client._request = fake_request  # type: ignore[method-assign]

    report = await client.mob("mob-1").wire_members_batch(
        [{"a": "lead", "b": "worker"}]
    )

    assert report.requested == 1
    assert report.wired == []
    assert report.already_wired[0].a == "lead"


@pytest.mark.asyncio
async def test_mob_wire_members_batch_rejects_malformed_report():
    client = MeerkatClient()

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        assert method == "mob/wire_members_batch"
        return {"requested": 1, "wired": [{"a": "lead"}], "already_wired": []}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="edge endpoints"):
        await client.mob_wire_members_batch("mob-1", [("lead", "worker")])


@pytest.mark.asyncio
async def test_spawn_mob_members_rejects_malformed_result_envelopes():
    malformed_responses = [
        {
            "results": [
                {"ok": True, "agent_identity": "worker-1", "member_ref": "ref-worker-1"}
            ]
        },
        {"results": [{"status": "spawned"}]},
        {
            "results": [
                {
                    "status": "ok",
                    "result": {
                        "agent_identity": "worker-1",
                        "member_ref": "ref-worker-1",
                    },
                }
            ]
        },
        {"results": [{"status": "spawned", "result": {"agent_identity": "worker-1"}}]},
        {"results": [{"status": "failed", "result": {"message": "profile missing"}}]},
        {
            "results": [
                {
                    "status": "failed",
                    "result": {"cause": "future_failure", "message": "profile missing"},
                }
            ]
        },
        {"results": [{"status": "failed", "result": {"message": ""}}]},
        {
            "results": [
                {
                    "status": "spawned",
                    "result": {
                        "agent_identity": "worker-1",
                        "member_ref": "ref-worker-1",
                    },
                    "ok": True,
                }
            ]
        },
        {
            "results": [
                {
                    "status": "failed",
                    "result": {
                        "cause": "profile_not_found",
                        "message": "profile missing",
                    },
                    "error": "legacy profile missing",
                }
            ]
        },
        {
            "results": [
                {
                    "status": "spawned",
                    "result": {
                        "agent_identity": "worker-1",
                        "member_ref": "ref-worker-1",
                        "ok": True,
                    },
                }
            ]
        },
        {
            "results": [
                {
                    "status": "failed",
                    "result": {
                        "cause": "profile_not_found",
                        "message": "profile missing",
                        "error": "legacy profile missing",
                    },
                }
            ]
        },
        {},
    ]

    for response in malformed_responses:
        client = MeerkatClient()

        async def fake_request(
            method: str, params: dict[str, object]
        ) -> dict[str, object]:
            assert method == "mob/spawn_many"
            return response

        client._request = fake_request  # type: ignore[method-assign]

        with pytest.raises(MeerkatError, match="mob/spawn_many"):
            await client.spawn_mob_members(
                "mob-1",
                [{"profile": "worker", "agent_identity": "worker-1"}],
            )


def test_generated_mob_create_ensure_reconcile_preserve_nested_param_types():
    from meerkat.generated.types import (
        MobCreateParams as GeneratedMobCreateParams,
        MobDefinitionInput as GeneratedMobDefinitionInput,
        MobEnsureMemberParams as GeneratedMobEnsureMemberParams,
        MobMemberSpecWire as GeneratedMobMemberSpecWire,
        MobReconcileParams as GeneratedMobReconcileParams,
    )

    create_hints = get_type_hints(GeneratedMobCreateParams)
    assert create_hints["definition"] is GeneratedMobDefinitionInput

    ensure_hints = get_type_hints(GeneratedMobEnsureMemberParams)
    assert ensure_hints["spec"] is GeneratedMobMemberSpecWire

    reconcile_hints = get_type_hints(GeneratedMobReconcileParams)
    assert "MobMemberSpecWire" in str(reconcile_hints["desired"])
    assert "Any" not in str(reconcile_hints["desired"])

    definition = GeneratedMobDefinitionInput(
        id="mob-1",
        profiles={"worker": {"model": "claude-sonnet-4-6"}},
    )
    create = GeneratedMobCreateParams(definition=definition)
    assert create.definition.id == "mob-1"

    spec = GeneratedMobMemberSpecWire(profile="worker", agent_identity="worker-1")
    ensure = GeneratedMobEnsureMemberParams(mob_id="mob-1", spec=spec)
    assert ensure.spec.agent_identity == "worker-1"

    reconcile = GeneratedMobReconcileParams(mob_id="mob-1", desired=[spec])
    assert reconcile.desired[0].profile == "worker"


def test_generated_mob_member_result_helpers_preserve_schema_types():
    from meerkat.generated.types import (
        MobEnsureMemberResult as GeneratedMobEnsureMemberResult,
        MobMemberListEntryWire as GeneratedMobMemberListEntryWire,
        MobMembersResult as GeneratedMobMembersResult,
        MobSpawnReceiptWire as GeneratedMobSpawnReceiptWire,
        MobSubmitWorkParams as GeneratedMobSubmitWorkParams,
        WireMemberRef as GeneratedWireMemberRef,
        WireMobMemberStatus as GeneratedWireMobMemberStatus,
        WireMobRuntimeMode as GeneratedWireMobRuntimeMode,
    )

    assert GeneratedWireMemberRef is str
    assert get_args(GeneratedWireMobRuntimeMode) == (
        "autonomous_host",
        "turn_driven",
    )
    assert get_args(GeneratedWireMobMemberStatus) == (
        "active",
        "retiring",
        "broken",
        "completed",
        "unknown",
    )

    spawn_hints = get_type_hints(GeneratedMobSpawnReceiptWire)
    assert spawn_hints["member_ref"] is GeneratedWireMemberRef

    submit_hints = get_type_hints(GeneratedMobSubmitWorkParams)
    assert submit_hints["member_ref"] is GeneratedWireMemberRef

    member_hints = get_type_hints(GeneratedMobMemberListEntryWire)
    assert member_hints["member_ref"] is GeneratedWireMemberRef
    assert member_hints["runtime_mode"] == GeneratedWireMobRuntimeMode
    assert member_hints["status"] == GeneratedWireMobMemberStatus

    member_ref = _make_member_ref("mob-1", "worker-1")
    member = GeneratedMobMemberListEntryWire(
        agent_identity="worker-1",
        member_ref=member_ref,
        role="worker",
        runtime_mode="turn_driven",
        status="active",
        is_final=False,
    )
    members = GeneratedMobMembersResult(mob_id="mob-1", members=[member])
    assert members.members[0].member_ref == member_ref

    spawned = GeneratedMobEnsureMemberResult(
        outcome={
            "spawned": GeneratedMobSpawnReceiptWire(
                agent_identity="worker-1",
                member_ref=member_ref,
            ),
        },
    )
    assert spawned.outcome["spawned"].member_ref == member_ref

    submit = GeneratedMobSubmitWorkParams(
        member_ref=members.members[0].member_ref,
        content="continue",
    )
    assert submit.member_ref == member_ref


# ---------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------


def test_usage_defaults():
    usage = Usage()
    assert usage.input_tokens == 0
    assert usage.output_tokens == 0
    assert usage.cache_creation_tokens is None
    assert usage.cache_read_tokens is None


def test_usage_frozen():
    usage = Usage(input_tokens=10, output_tokens=5)
    try:
        usage.input_tokens = 99  # type: ignore[misc]
        assert False, "Should be frozen"
    except AttributeError:
        pass


def test_run_result_defaults():
    result = RunResult()
    assert result.session_id == ""
    assert result.text == ""
    assert result.turns == 0
    assert result.tool_calls == 0
    assert result.usage == Usage()
    assert result.skill_diagnostics is None


def test_run_result_skill_diagnostics():
    diagnostics = SkillRuntimeDiagnostics(
        source_health=SourceHealthSnapshot(
            state="degraded",
            invalid_ratio=0.25,
            invalid_count=1,
            total_count=4,
            failure_streak=2,
            handshake_failed=False,
        ),
        quarantined=[
            SkillQuarantineDiagnostic(
                source_uuid="src-1",
                skill_id="extract/email",
                location="project",
                error_code="bad_frontmatter",
                error_class="ValidationError",
                message="missing description",
                first_seen_unix_secs=10,
                last_seen_unix_secs=20,
            )
        ],
    )
    result = RunResult(
        session_id="s1",
        text="ok",
        usage=Usage(input_tokens=10, output_tokens=5),
        skill_diagnostics=diagnostics,
    )
    assert result.skill_diagnostics == diagnostics


def test_parse_run_result_skill_diagnostics():
    raw = {
        "session_id": "s1",
        "text": "ok",
        "turns": 1,
        "tool_calls": 0,
        "usage": {"input_tokens": 10, "output_tokens": 5},
        "skill_diagnostics": {
            "source_health": {
                "state": "healthy",
                "invalid_ratio": 0.0,
                "invalid_count": 0,
                "total_count": 10,
                "failure_streak": 0,
                "handshake_failed": False,
            },
            "quarantined": [
                {
                    "identity": {
                        "source_uuid": "src-1",
                        "raw_id": "extract/email",
                    },
                    "location": "project",
                    "error_code": "bad_frontmatter",
                    "error_class": "ValidationError",
                    "message": "missing description",
                    "first_seen_unix_secs": 10,
                    "last_seen_unix_secs": 20,
                }
            ],
            "collection_fault": {
                "reason_type": "source_unknown",
                "message": "diagnostics source unavailable",
            },
        },
    }
    result = MeerkatClient._parse_run_result(raw)
    assert result.skill_diagnostics is not None
    assert result.skill_diagnostics.source_health.state == "healthy"
    assert result.skill_diagnostics.quarantined[0].skill_id == "extract/email"
    assert result.skill_diagnostics.collection_fault == {
        "reason_type": "source_unknown",
        "message": "diagnostics source unavailable",
    }


def test_parse_run_result_extraction_error():
    raw = {
        "session_id": "s1",
        "text": "main answer",
        "turns": 1,
        "tool_calls": 0,
        "usage": {"input_tokens": 10, "output_tokens": 5},
        "extraction_error": {
            "last_output": "main answer",
            "attempts": 2,
            "reason": "Invalid JSON",
        },
    }
    result = MeerkatClient._parse_run_result(raw)
    assert result.extraction_error is not None
    assert result.extraction_error.last_output == "main answer"
    assert result.extraction_error.attempts == 2
    assert result.extraction_error.reason == "Invalid JSON"


def test_parse_run_result_rejects_malformed_counters():
    with pytest.raises(MeerkatError, match="missing session_id"):
        MeerkatClient._parse_run_result(
            {
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
            }
        )

    MeerkatClient._parse_run_result(
        {
            "session_id": "s1",
            "text": "",
            "turns": 1,
            "tool_calls": 0,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
    )

    with pytest.raises(MeerkatError, match="missing usage"):
        MeerkatClient._parse_run_result(
            {"session_id": "s1", "text": "ok", "turns": 1, "tool_calls": 0}
        )

    with pytest.raises(MeerkatError, match="turns must be number"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": "1",
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
            }
        )

    with pytest.raises(MeerkatError, match="usage.input_tokens must be number"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": "oops", "output_tokens": 1},
            }
        )

    with pytest.raises(MeerkatError, match="missing provider"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
                "schema_warnings": [{"path": "$", "message": "warn"}],
            }
        )

    with pytest.raises(MeerkatError, match="schema_warnings must be a list"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
                "schema_warnings": "warn",
            }
        )

    with pytest.raises(MeerkatError, match="missing reason"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
                "extraction_error": {"last_output": "bad", "attempts": 1},
            }
        )

    with pytest.raises(MeerkatError, match="missing extraction_error"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
                "extraction_error": "bad",
            }
        )

    with pytest.raises(MeerkatError, match="missing skill_diagnostics.source_health"):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
                "skill_diagnostics": {"quarantined": []},
            }
        )

    with pytest.raises(
        MeerkatError, match=r"missing skill_diagnostics.quarantined\[0\].identity"
    ):
        MeerkatClient._parse_run_result(
            {
                "session_id": "s1",
                "text": "ok",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 1, "output_tokens": 1},
                "skill_diagnostics": {
                    "source_health": {
                        "state": "healthy",
                        "invalid_ratio": 0,
                        "invalid_count": 0,
                        "total_count": 0,
                        "failure_streak": 0,
                        "handshake_failed": False,
                    },
                    "quarantined": [{"location": "project"}],
                },
            }
        )


def test_parse_session_history():
    raw = {
        "session_id": "s1",
        "session_ref": "ref-1",
        "message_count": 3,
        "offset": 1,
        "limit": 2,
        "has_more": True,
        "messages": [
            {
                "role": "system",
                "content": "rules",
                "created_at": "2026-05-26T10:00:00Z",
            },
            {
                "role": "block_assistant",
                "interaction_id": "019405c8-1234-7000-8000-000000000001",
                "run_id": "019405c8-1234-7000-8000-000000000002",
                "blocks": [
                    {
                        "block_type": "tool_use",
                        "data": {"id": "tc_1", "name": "search", "args": {"q": "rust"}},
                    }
                ],
                "stop_reason": "tool_use",
                "created_at": "2026-05-26T10:00:01Z",
            },
            {
                "role": "tool_results",
                "interaction_id": None,
                "run_id": None,
                "results": [
                    {"tool_use_id": "tc_1", "content": "done", "is_error": False}
                ],
                "created_at": "2026-05-26T10:00:02Z",
            },
        ],
    }
    history = MeerkatClient._parse_session_history(raw)
    assert history.session_id == "s1"
    assert history.limit == 2
    assert history.has_more is True
    assert history.messages[1].interaction_id == "019405c8-1234-7000-8000-000000000001"
    assert history.messages[1].run_id == "019405c8-1234-7000-8000-000000000002"
    assert history.messages[1].blocks[0].name == "search"
    assert history.messages[2].interaction_id is None
    assert history.messages[2].run_id is None
    assert history.messages[2].results[0].tool_use_id == "tc_1"


def test_parse_session_history_preserves_assistant_image_blocks():
    history = MeerkatClient._parse_session_history(
        {
            "session_id": "s1",
            "message_count": 1,
            "offset": 0,
            "has_more": False,
            "messages": [
                {
                    "role": "block_assistant",
                    "blocks": [
                        {
                            "block_type": "image",
                            "data": {
                                "image_id": "img_1",
                                "blob_ref": {
                                    "blob_id": "blob_1",
                                    "media_type": "image/png",
                                },
                                "media_type": "image/png",
                                "width": 1024,
                                "height": 1536,
                                "revised_prompt": {"disposition": "not_requested"},
                                "meta": {
                                    "provider": "openai",
                                    "target_model": "gpt-image-1",
                                },
                            },
                        }
                    ],
                    "stop_reason": "end_turn",
                    "created_at": "2026-05-26T10:00:00Z",
                }
            ],
        }
    )

    block = history.messages[0].blocks[0]
    assert block.block_type == "image"
    assert block.image_id == "img_1"
    assert block.blob_id == "blob_1"
    assert block.media_type == "image/png"
    assert block.width == 1024
    assert block.height == 1536
    assert block.revised_prompt == {"disposition": "not_requested"}
    assert block.meta == {"provider": "openai", "target_model": "gpt-image-1"}


@pytest.mark.parametrize("raw", [None, [], 1, "history"])
def test_parse_session_history_rejects_non_object_result(raw: object) -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_history(raw)
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message_count", -1),
        ("message_count", 1.5),
        ("message_count", True),
        ("offset", -1),
        ("offset", 1.5),
        ("offset", False),
        ("limit", -1),
        ("limit", 1.5),
        ("limit", True),
    ],
)
def test_parse_session_history_rejects_non_unsigned_paging_fields(
    field: str,
    value: object,
) -> None:
    raw: dict[str, object] = {
        "session_id": "s1",
        "message_count": 0,
        "offset": 0,
        "limit": None,
        "has_more": False,
        "messages": [],
    }
    raw[field] = value
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_history(raw)
    assert exc_info.value.code == "INVALID_RESPONSE"


def test_parse_session_history_requires_messages_field() -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_history(
            {
                "session_id": "s1",
                "message_count": 0,
                "offset": 0,
                "has_more": False,
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message_count", -1),
        ("message_count", 1.5),
        ("offset", True),
        ("limit", -1),
    ],
)
def test_parse_session_transcript_revision_rejects_non_unsigned_paging_fields(
    field: str,
    value: object,
) -> None:
    raw: dict[str, object] = {
        "session_id": "s1",
        "revision": "r1",
        "head_revision": "r1",
        "message_count": 0,
        "offset": 0,
        "limit": None,
        "has_more": False,
        "messages": [],
    }
    raw[field] = value
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_transcript_revision(raw)
    assert exc_info.value.code == "INVALID_RESPONSE"


def test_parse_session_transcript_revision_requires_messages_field() -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_transcript_revision(
            {
                "session_id": "s1",
                "revision": "r1",
                "head_revision": "r1",
                "message_count": 0,
                "offset": 0,
                "has_more": False,
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


def test_parse_session_transcript_revision_list_requires_entries_field() -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_transcript_revision_list({"head_revision": "r1"})
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("committed_at", [-1, 1.5, True])
def test_parse_session_transcript_revision_list_rejects_non_unsigned_timestamp(
    committed_at: object,
) -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_transcript_revision_list(
            {
                "head_revision": "r1",
                "entries": [
                    {
                        "revision": "r1",
                        "parent_revision": "root",
                        "reason": "edit",
                        "committed_at": committed_at,
                    }
                ],
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


def test_parse_session_message_fails_closed_on_missing_identity_facts():
    # Transcript truth is never fabricated: a message without role/created_at
    # or with malformed collections raises INVALID_RESPONSE instead of
    # coercing to ""/[] placeholder truth.
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_message({"content": "no role"})
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_message(
            {"role": "user", "content": "no created_at"}
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_message(
            {
                "role": "tool_results",
                "created_at": "2026-05-26T10:00:00Z",
                "results": [{"content": "missing tool_use_id"}],
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    # `WireToolResult.content` is mandatory on the wire — a tool result
    # without it must raise instead of fabricating an empty transcript.
    with pytest.raises(MeerkatError, match="missing content") as excinfo:
        MeerkatClient._parse_session_message(
            {
                "role": "tool_results",
                "created_at": "2026-05-26T10:00:00Z",
                "results": [{"tool_use_id": "tc_1", "is_error": False}],
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    # An explicit `content: null` is equally malformed (the TypeScript and
    # Rust surfaces reject it) — never coalesced into "" transcript truth.
    with pytest.raises(MeerkatError, match="must not be null") as excinfo:
        MeerkatClient._parse_session_message(
            {
                "role": "tool_results",
                "created_at": "2026-05-26T10:00:00Z",
                "results": [
                    {"tool_use_id": "tc_1", "is_error": False, "content": None}
                ],
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_message(
            {
                "role": "block_assistant",
                "created_at": "2026-05-26T10:00:00Z",
                "blocks": "not-a-list",
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_message(
            {
                "role": "block_assistant",
                "created_at": "2026-05-26T10:00:00Z",
                "blocks": [{"data": {"text": "missing block_type"}}],
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"


def _valid_session_transcript_rewrite_result() -> dict[str, object]:
    return {
        "session_id": "s1",
        "revision": "r2",
        "parent_revision": "r1",
        "message_count": 1,
        "commit": {
            "parent_revision": "r1",
            "revision": "r2",
            "selection": {"type": "message_range", "start": 0, "end": 1},
            "original_span_digest": "sha256:original",
            "replacement_digest": "sha256:replacement",
            "messages_before": 2,
            "messages_after": 1,
            "reason": {"kind": "edit", "note": None},
            "actor": None,
            "committed_at": {
                "secs_since_epoch": 1_768_737_600,
                "nanos_since_epoch": 123,
            },
        },
    }


def test_parse_session_transcript_rewrite_result_accepts_schema_nullable_fields():
    raw = _valid_session_transcript_rewrite_result()

    result = MeerkatClient._parse_session_transcript_rewrite_result(raw)

    assert result.message_count == 1
    assert result.commit == raw["commit"]


@pytest.mark.parametrize("raw", [None, [], 1, "rewrite"])
def test_parse_session_transcript_rewrite_result_rejects_non_object_envelope(
    raw: object,
) -> None:
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("message_count", [-1, 1.5, True])
def test_parse_session_transcript_rewrite_result_rejects_non_unsigned_count(
    message_count: object,
) -> None:
    raw = _valid_session_transcript_rewrite_result()
    raw["message_count"] = message_count

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize(
    "field",
    [
        "parent_revision",
        "revision",
        "selection",
        "original_span_digest",
        "replacement_digest",
        "messages_before",
        "messages_after",
        "reason",
        "committed_at",
    ],
)
def test_parse_session_transcript_rewrite_result_requires_commit_fields(
    field: str,
) -> None:
    raw = _valid_session_transcript_rewrite_result()
    commit = raw["commit"]
    assert isinstance(commit, dict)
    del commit[field]

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("value", [-1, 1.5, True])
@pytest.mark.parametrize(
    "field",
    [
        "messages_before",
        "messages_after",
        "selection.start",
        "selection.end",
        "committed_at.secs_since_epoch",
        "committed_at.nanos_since_epoch",
    ],
)
def test_parse_session_transcript_rewrite_result_rejects_non_unsigned_commit_fields(
    field: str,
    value: object,
) -> None:
    raw = _valid_session_transcript_rewrite_result()
    commit = raw["commit"]
    assert isinstance(commit, dict)
    if "." not in field:
        commit[field] = value
    else:
        owner_name, child_name = field.split(".")
        owner = commit[owner_name]
        assert isinstance(owner, dict)
        owner[child_name] = value

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("field", ["actor", "reason.note"])
@pytest.mark.parametrize("value", [False, 1, [], {}])
def test_parse_session_transcript_rewrite_result_rejects_malformed_nullable_strings(
    field: str,
    value: object,
) -> None:
    raw = _valid_session_transcript_rewrite_result()
    commit = raw["commit"]
    assert isinstance(commit, dict)
    if field == "actor":
        commit[field] = value
    else:
        reason = commit["reason"]
        assert isinstance(reason, dict)
        reason["note"] = value

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize(
    "selection",
    [
        {"type": "message_range", "start": 0, "end": 1},
        {"type": "edit_message_range", "range": {"start": 0, "end": 1}},
        {
            "type": "compaction_message_range",
            "range": {"start": 0, "end": 1},
        },
    ],
)
def test_parse_session_transcript_rewrite_result_accepts_all_selection_arms(
    selection: dict[str, object],
) -> None:
    raw = _valid_session_transcript_rewrite_result()
    commit = raw["commit"]
    assert isinstance(commit, dict)
    commit["selection"] = selection

    result = MeerkatClient._parse_session_transcript_rewrite_result(raw)

    assert result.commit["selection"] == selection


def test_parse_session_transcript_rewrite_result_fails_closed():
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(
            {
                "revision": "r2",
                "parent_revision": "r1",
                "message_count": 1,
                "commit": {},
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_session_transcript_rewrite_result(
            {
                "session_id": "s1",
                "revision": "r2",
                "parent_revision": "r1",
                "message_count": 1,
            }
        )
    assert excinfo.value.code == "INVALID_RESPONSE"


def test_transcript_rewrite_public_types_preserve_schema_nullability():
    from meerkat.types import (
        TranscriptRewriteReason,
        TranscriptRewriteSystemNoticeMessage,
    )

    reason_hints = get_type_hints(TranscriptRewriteReason, include_extras=True)
    notice_hints = get_type_hints(
        TranscriptRewriteSystemNoticeMessage,
        include_extras=True,
    )

    reason_note = get_args(reason_hints["note"])[0]
    notice_body = get_args(notice_hints["body"])[0]
    assert set(get_args(reason_note)) == {str, type(None)}
    assert set(get_args(notice_body)) == {str, type(None)}


def test_transcript_rewrite_serializes_edited_parsed_message_over_raw_payload():
    parsed = MeerkatClient._parse_session_message(
        {
            "role": "user",
            "content": "old",
            "created_at": "2026-05-26T10:00:00Z",
            "provider_trace_id": "trace-1",
        }
    )

    edited = replace(parsed, content="new")
    serialized = MeerkatClient._serialize_transcript_rewrite_message(edited)

    assert serialized == {
        "role": "user",
        "content": "new",
        "created_at": "2026-05-26T10:00:00Z",
        "provider_trace_id": "trace-1",
    }


def test_transcript_rewrite_serializes_block_assistant_blocks_to_wire_shape():
    parsed = MeerkatClient._parse_session_message(
        {
            "role": "block_assistant",
            "created_at": "2026-05-26T10:00:00Z",
            "blocks": [
                {
                    "block_type": "text",
                    "data": {"text": "old", "source": "spoken"},
                    "provider_block_id": "block-1",
                }
            ],
            "stop_reason": "end_turn",
        }
    )

    edited = replace(
        parsed,
        blocks=[replace(parsed.blocks[0], text="new")],
    )
    serialized = MeerkatClient._serialize_transcript_rewrite_message(edited)

    assert serialized == {
        "role": "block_assistant",
        "created_at": "2026-05-26T10:00:00Z",
        "stop_reason": "end_turn",
        "blocks": [
            {
                "block_type": "text",
                "data": {"text": "new", "source": "spoken"},
                "provider_block_id": "block-1",
            }
        ],
    }


def test_transcript_rewrite_serializes_system_notice_with_one_body_alias():
    parsed = MeerkatClient._parse_session_message(
        {
            "role": "system_notice",
            "kind": "background_job",
            "body": "done",
            "created_at": "2026-05-26T10:00:00Z",
        }
    )

    serialized = MeerkatClient._serialize_transcript_rewrite_message(parsed)

    assert serialized == {
        "role": "system_notice",
        "kind": "background_job",
        "body": "done",
        "created_at": "2026-05-26T10:00:00Z",
    }
    assert "content" not in serialized


def test_session_history_rewrite_round_trip_preserves_wire_content_and_provenance():
    rows = [
        {
            "role": "user",
            "created_at": "2026-07-12T10:00:00Z",
            "transcript_role": "injected_context",
            "content": [
                {"type": "structured", "data": {"answer": 42}},
                {"type": "unknown"},
                {
                    "type": "video",
                    "media_type": "video/mp4",
                    "duration_ms": 1200,
                    "source": "uri",
                    "uri": "gs://bucket/clip.mp4",
                },
            ],
        },
        {
            "role": "system_notice",
            "kind": "comms",
            "body": "peer update",
            "blocks": [
                {
                    "type": "comms",
                    "direction": "incoming",
                    "kind": "message",
                    "content": [{"type": "structured", "data": {"peer": "worker"}}],
                }
            ],
            "created_at": "2026-07-12T10:00:01Z",
        },
        {
            "role": "block_assistant",
            "blocks": [
                {
                    "block_type": "transcript",
                    "data": {
                        "text": "spoken text",
                        "source": {"kind": "unknown", "debug": "future_lane"},
                    },
                },
                {"block_type": "unknown"},
            ],
            "stop_reason": "end_turn",
            "created_at": "2026-07-12T10:00:02Z",
        },
        {
            "role": "tool_results",
            "results": [
                {
                    "tool_use_id": "tool-1",
                    "content": [
                        {
                            "type": "image",
                            "media_type": "image/png",
                            "source": "blob",
                            "blob_id": "blob-1",
                        },
                        {"type": "structured", "data": [1, 2, 3]},
                    ],
                    "is_error": False,
                }
            ],
            "created_at": "2026-07-12T10:00:03Z",
        },
    ]

    parsed = [MeerkatClient._parse_session_message(row) for row in rows]
    assert parsed[0].transcript_role == "injected_context"
    assert parsed[1].blocks == []
    assert parsed[2].blocks[0].source == {
        "kind": "unknown",
        "debug": "future_lane",
    }
    assert parsed[3].results[0].content == rows[3]["results"][0]["content"]
    assert [
        MeerkatClient._serialize_transcript_rewrite_message(message)
        for message in parsed
    ] == rows


def test_skill_key_export():
    key = SkillKey(source_uuid="abc-123", skill_name="my-skill")
    assert key.source_uuid == "abc-123"
    assert key.skill_name == "my-skill"


def test_session_info():
    info = SessionInfo(session_id="abc", is_active=True, message_count=5)
    assert info.session_id == "abc"
    assert info.is_active is True
    assert info.message_count == 5


def test_session_summary_and_details_types():
    summary = SessionSummary(
        session_id="summary-id",
        created_at=1700000000,
        updated_at=1700000100,
        message_count=4,
        total_tokens=128,
        labels={"env": "dev"},
        is_active=False,
    )
    details = SessionDetails(
        session_id="details-id",
        created_at=1700000001,
        updated_at=1700000111,
        message_count=6,
        labels={"team": "sdk"},
        is_active=True,
        model="claude-sonnet-4-6",
        provider="anthropic",
        last_assistant_text="ready",
    )
    assert summary.total_tokens == 128
    assert summary.created_at == 1700000000
    assert details.model == "claude-sonnet-4-6"
    assert details.provider == "anthropic"
    assert details.last_assistant_text == "ready"


def test_session_history_types():
    history = SessionHistory(
        session_id="abc",
        session_ref="ref-1",
        message_count=3,
        offset=1,
        limit=2,
        has_more=True,
        messages=[
            SessionMessage(role="system", content="rules"),
            SessionMessage(
                role="block_assistant",
                blocks=[
                    SessionAssistantBlock(
                        block_type="tool_use",
                        id="tool-1",
                        name="search",
                        args={"q": "meerkat"},
                    )
                ],
                results=[SessionToolResult(tool_use_id="tool-1", content="done")],
            ),
        ],
    )
    assert history.session_ref == "ref-1"
    assert history.has_more is True
    assert history.messages[1].blocks[0].name == "search"


@pytest.mark.asyncio
async def test_session_history_convenience_method_uses_client() -> None:
    expected = SessionHistory(
        session_id="abc",
        session_ref=None,
        message_count=0,
        offset=0,
        limit=None,
        has_more=False,
        messages=[],
    )

    class StubClient:
        async def read_session_history(
            self, session_id: str, *, offset: int = 0, limit: int | None = None
        ) -> SessionHistory:
            assert session_id == "abc"
            assert offset == 2
            assert limit == 5
            return expected

    session = Session(
        StubClient(),  # type: ignore[arg-type]
        RunResult(session_id="abc", text="ok", usage=Usage()),
    )
    history = await session.history(offset=2, limit=5)
    assert history is expected


@pytest.mark.asyncio
async def test_create_session_returns_runtime_backed_session_wrapper() -> None:
    client = MeerkatClient()
    seen: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        seen.append((method, params))
        return {
            "session_id": "sess-1",
            "session_ref": "team/runtime",
            "text": "ready",
            "turns": 1,
            "tool_calls": 0,
            "usage": {"input_tokens": 12, "output_tokens": 4},
        }

    client._request = fake_request  # type: ignore[method-assign]

    session = await client.create_session("Summarise the runtime path")

    assert isinstance(session, Session)
    assert session.id == "sess-1"
    assert session.ref == "team/runtime"
    assert session.text == "ready"
    assert session.last_result.session_id == "sess-1"
    assert seen == [("session/create", {"prompt": "Summarise the runtime path"})]


@pytest.mark.asyncio
async def test_deferred_session_history_convenience_method_uses_client() -> None:
    expected = SessionHistory(
        session_id="def",
        session_ref=None,
        message_count=0,
        offset=0,
        limit=None,
        has_more=False,
        messages=[],
    )

    class StubClient:
        async def read_session_history(
            self, session_id: str, *, offset: int = 0, limit: int | None = None
        ) -> SessionHistory:
            assert session_id == "def"
            assert offset == 1
            assert limit is None
            return expected

    session = DeferredSession(StubClient(), "def")  # type: ignore[arg-type]
    history = await session.history(offset=1)
    assert history is expected


@pytest.mark.asyncio
async def test_create_deferred_session_returns_runtime_backed_deferred_wrapper() -> (
    None
):
    client = MeerkatClient()
    seen: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        seen.append((method, params))
        return {
            "session_id": "sess-2",
            "session_ref": "team/deferred",
        }

    client._request = fake_request  # type: ignore[method-assign]

    deferred = await client.create_deferred_session("Hold until first turn")

    assert isinstance(deferred, DeferredSession)
    assert deferred.id == "sess-2"
    assert deferred.ref == "team/deferred"
    assert seen == [
        (
            "session/create",
            {"prompt": "Hold until first turn", "initial_turn": "deferred"},
        )
    ]


@pytest.mark.asyncio
async def test_create_deferred_session_rejects_missing_session_id() -> None:
    client = MeerkatClient()

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        return {"session_ref": "team/deferred"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing session_id"):
        await client.create_deferred_session("Hold until first turn")


@pytest.mark.asyncio
async def test_peer_response_terminal_uses_canonical_peer_id_and_correlation() -> None:
    from meerkat import PeerCorrelationId, PeerId

    client = MeerkatClient()
    seen: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        seen.append((method, params))
        return {"status": "accepted"}

    client._request = fake_request  # type: ignore[method-assign]

    await client.send_peer_response_terminal(
        "sess-1",
        PeerId("00000000-0000-4000-8000-000000000161"),
        PeerCorrelationId("00000000-0000-4000-8000-000000000162"),
        "completed",
        {"ok": True},
        display_name="analyst",
    )

    assert seen == [
        (
            "session/peer_response_terminal",
            {
                "session_id": "sess-1",
                "peer_id": "00000000-0000-4000-8000-000000000161",
                "request_id": "00000000-0000-4000-8000-000000000162",
                "status": "completed",
                "result": {"ok": True},
                "display_name": "analyst",
            },
        )
    ]
    assert "peer_name" not in seen[0][1]


def test_live_mcp_contract_types_exported():
    add = McpAddParams(
        session_id="s1",
        server_config={
            "name": "filesystem",
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-filesystem"],
        },
        persisted=False,
    )
    response = McpLiveOpResponse(
        session_id="s1",
        operation="remove",
        status="staged",
        persisted=False,
        applied_at_turn=5,
    )
    assert add.server_config["name"] == "filesystem"
    assert response.applied_at_turn == 5


def test_capability_available():
    cap = Capability(id="sessions", description="Session lifecycle", status="Available")
    assert cap.available is True
    disabled = Capability(id="comms", status="DisabledByPolicy")
    assert disabled.available is False


# ---------------------------------------------------------------------------
# Fail-closed wire-status parsing (DOGMA Rule 6: no permissive coalescing of
# absent/unknown runtime-owned status to a permissive class)
# ---------------------------------------------------------------------------


# SITE 1 — capabilities status: externally-tagged CapabilityStatus enum.
def test_parse_wire_capability_status_accepts_bare_string():
    assert (
        MeerkatClient._parse_wire_capability_status("Available", "ctx") == "Available"
    )


def test_parse_wire_capability_status_accepts_externally_tagged_enum():
    # Open vocabulary: any single-key dict tag is accepted (no whitelist).
    assert (
        MeerkatClient._parse_wire_capability_status(
            {"DisabledByPolicy": {"description": "comms disabled"}}, "ctx"
        )
        == "DisabledByPolicy"
    )
    assert (
        MeerkatClient._parse_wire_capability_status({"SomeFutureVariant": {}}, "ctx")
        == "SomeFutureVariant"
    )


@pytest.mark.parametrize(
    "raw",
    [None, "", {}, 42, [], {"": {}}, {123: {}}],
)
def test_parse_wire_capability_status_fails_closed(raw):
    # No fabricated "Available" default on absence/invalid input.
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_wire_capability_status(raw, "ctx")
    assert excinfo.value.code == "INVALID_RESPONSE"


# SITE 2 — mob/member_send handling_mode.
def test_parse_wire_handling_mode_accepts_valid():
    assert MeerkatClient._parse_wire_handling_mode("queue", "ctx") == "queue"
    assert MeerkatClient._parse_wire_handling_mode("steer", "ctx") == "steer"


@pytest.mark.parametrize(
    "raw",
    [None, "", "QUEUE", "fire", 1, {"queue": {}}, []],
)
def test_parse_wire_handling_mode_fails_closed(raw):
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_wire_handling_mode(raw, "ctx")
    assert excinfo.value.code == "INVALID_RESPONSE"


def test_member_send_never_falls_back_to_requested_handling_mode():
    """SITE 2: the client's requested handling_mode must NEVER be used as a
    fallback when the runtime receipt omits or corrupts handling_mode."""
    import asyncio

    client = MeerkatClient.__new__(MeerkatClient)

    async def fake_request(method, params):
        assert method == "mob/member_send"
        # Runtime echoes identity/member_ref but OMITS handling_mode entirely.
        # The client requested "steer" — it must not be substituted.
        return {
            "mob_id": params["mob_id"],
            "agent_identity": params["agent_identity"],
            "member_ref": "m1",
        }

    client._request = fake_request  # type: ignore[attr-defined]

    async def run():
        with pytest.raises(MeerkatError) as excinfo:
            await client.send_mob_member_content(
                "mob1",
                "ident1",
                "hi",
                handling_mode="steer",
            )
        assert excinfo.value.code == "INVALID_RESPONSE"

    asyncio.run(run())


def test_member_send_returns_runtime_handling_mode():
    """SITE 2: a valid runtime handling_mode is returned verbatim, even when it
    differs from the client's request (proving it is runtime-owned)."""
    import asyncio

    client = MeerkatClient.__new__(MeerkatClient)

    async def fake_request(method, params):
        return {
            "mob_id": params["mob_id"],
            "agent_identity": params["agent_identity"],
            "member_ref": "m1",
            # Runtime resolved to "queue" though client asked for "steer".
            "handling_mode": "queue",
        }

    client._request = fake_request  # type: ignore[attr-defined]

    async def run():
        receipt = await client.send_mob_member_content(
            "mob1",
            "ident1",
            "hi",
            handling_mode="steer",
        )
        assert receipt["handling_mode"] == "queue"

    asyncio.run(run())


# SITE 3 — mob/respawn outcome.
def test_parse_wire_respawn_outcome_accepts_valid():
    assert MeerkatClient._parse_wire_respawn_outcome("completed", "ctx") == "completed"
    assert (
        MeerkatClient._parse_wire_respawn_outcome("topology_restore_failed", "ctx")
        == "topology_restore_failed"
    )


@pytest.mark.parametrize(
    "raw",
    [None, "", "done", "failed", 0, {"completed": {}}, []],
)
def test_parse_wire_respawn_outcome_fails_closed(raw):
    # No coalescing of absent/unknown status to "completed".
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_wire_respawn_outcome(raw, "ctx")
    assert excinfo.value.code == "INVALID_RESPONSE"


# SITE 4 — mob/append_system_context status.
def test_parse_wire_append_system_context_status_accepts_valid():
    assert (
        MeerkatClient._parse_wire_append_system_context_status("applied", "ctx")
        == "applied"
    )
    assert (
        MeerkatClient._parse_wire_append_system_context_status("duplicate", "ctx")
        == "duplicate"
    )


@pytest.mark.parametrize(
    "raw",
    [None, "", "staged", "queued", 1, {"staged": {}}, []],
)
def test_parse_wire_append_system_context_status_fails_closed(raw):
    # Closed contract is exactly {"applied", "duplicate"}; absence and the
    # retired staging outcome must fail closed.
    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_wire_append_system_context_status(raw, "ctx")
    assert excinfo.value.code == "INVALID_RESPONSE"


# ---------------------------------------------------------------------------
# Error hierarchy
# ---------------------------------------------------------------------------


def test_error_hierarchy():
    assert issubclass(CapabilityUnavailableError, MeerkatError)
    assert issubclass(SessionNotFoundError, MeerkatError)
    assert issubclass(SkillNotFoundError, MeerkatError)


def test_error_fields():
    err = MeerkatError("TEST_CODE", "test message", details={"key": "value"})
    assert err.code == "TEST_CODE"
    assert err.message == "test message"
    assert err.details == {"key": "value"}
    assert str(err) == "test message"


# ---------------------------------------------------------------------------
# Typed events
# ---------------------------------------------------------------------------


def test_text_delta_is_event():
    td = TextDelta(delta="hello")
    assert isinstance(td, Event)
    assert td.delta == "hello"


def test_events_are_frozen():
    td = TextDelta(delta="hi")
    try:
        td.delta = "bye"  # type: ignore[misc]
        assert False, "Should be frozen"
    except AttributeError:
        pass


def test_turn_completed_has_usage():
    u = Usage(input_tokens=100, output_tokens=50)
    tc = TurnCompleted(stop_reason="end_turn", usage=u)
    assert tc.stop_reason == "end_turn"
    assert tc.usage.input_tokens == 100


def test_tool_call_requested():
    tc = ToolCallRequested(id="t1", name="search", args={"query": "rust"})
    assert tc.name == "search"
    assert tc.args == {"query": "rust"}


def test_budget_warning():
    bw = BudgetWarning(budget_type="tokens", used=900, limit=1000, percent=90.0)
    assert bw.percent == 90.0


def test_hook_denied_optional_payload():
    hd = HookDenied(
        hook_id="h1",
        point="pre_tool_execution",
        reason_code="policy_violation",
        message="blocked",
    )
    assert hd.payload is None
    hd2 = HookDenied(
        hook_id="h1",
        point="pre_tool_execution",
        reason_code="safety",
        message="bad",
        payload={"detail": "x"},
    )
    assert hd2.payload == {"detail": "x"}


# ---------------------------------------------------------------------------
# Event parser
# ---------------------------------------------------------------------------


def test_parse_text_delta():
    raw = {"type": "text_delta", "delta": "Hello"}
    event = parse_event(raw)
    assert isinstance(event, TextDelta)
    assert event.delta == "Hello"


def test_parse_turn_started():
    raw = {"type": "turn_started", "turn_number": 3}
    event = parse_event(raw)
    assert isinstance(event, TurnStarted)
    assert event.turn_number == 3


def test_parse_turn_completed_carries_model_attribution():
    """Per-call usage exposes the resolved provider/model, not just counters."""
    raw = {
        "type": "turn_completed",
        "stop_reason": "end_turn",
        "usage": {
            "input_tokens": 300,
            "output_tokens": 150,
            "cache_creation_tokens": 0,
            "cache_read_tokens": 4000,
            "accounting": {
                "provider": "anthropic",
                "model": "claude-opus-5",
                "presented_tokens": 4300,
                "convention": "anthropic_disjoint_input_components",
                "aggregation": "sum_disjoint_provider_components",
            },
        },
    }
    event = parse_event(raw)
    assert isinstance(event, TurnCompleted)
    accounting = event.usage.accounting
    assert accounting is not None
    assert accounting.provider == "anthropic"
    assert accounting.model == "claude-opus-5"
    assert accounting.presented_tokens == 4300
    # The raw per-call counter uses a different denominator than the
    # normalized presented total; both must stay readable.
    assert event.usage.input_tokens == 300


def test_parse_turn_completed_without_accounting_is_accepted():
    """Rows written before 0.8.22 carry no attribution and must still parse."""
    raw = {
        "type": "turn_completed",
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 2},
    }
    event = parse_event(raw)
    assert isinstance(event, TurnCompleted)
    assert event.usage.accounting is None


def test_parse_turn_completed_with_no_usage_at_all_is_a_completed_turn():
    """A turn the provider never accounted for is still a completed turn.

    The SDK must surface it as ``TurnCompleted`` with ``usage=None`` - not as a
    malformed event, and not with a fabricated zero row that would silently
    understate every aggregate built on top of it.
    """
    raw = {"type": "turn_completed", "stop_reason": "end_turn"}
    event = parse_event(raw)
    assert isinstance(event, TurnCompleted)
    assert event.usage is None
    assert event.stop_reason == "end_turn"


def test_parse_interaction_complete_structured_output():
    raw = {
        "type": "interaction_complete",
        "interaction_id": "i1",
        "result": '{"answer":42}',
        "structured_output": {"answer": 42},
    }
    event = parse_event(raw)
    assert isinstance(event, InteractionComplete)
    assert event.interaction_id == "i1"
    assert event.structured_output == {"answer": 42}


def test_parse_scoped_mob_event_omits_runtime_binding_atoms():
    raw = {
        "scope_id": "mob:writer",
        "scope_path": [
            {
                "scope": "mob_member",
                "flow_run_id": "run_1",
                "agent_identity": "writer",
                "agent_runtime_id": "writer:1",
                "fence_token": 1,
                "generation": 1,
            }
        ],
        "event": {"type": "text_delta", "delta": "hi"},
    }

    event = parse_event(raw)

    assert event.scope_id == "mob:writer"
    assert event.scope_path == [
        {
            "scope": "mob_member",
            "flow_run_id": "run_1",
            "agent_identity": "writer",
        }
    ]


def test_parse_attributed_mob_event_preserves_source_fence_token():
    event = MeerkatClient._parse_attributed_mob_event(
        {
            "source": {"identity": "writer", "generation": 2},
            "source_fence_token": 7,
            "role": "worker",
            "envelope": _agent_event_envelope(
                {"type": "text_delta", "delta": "hi"}
            ),
        }
    )

    assert event.source == "writer"
    assert event.role == "worker"
    assert event.source_fence_token == 7


def test_parse_attributed_mob_event_omitted_source_fence_token_is_none():
    event = MeerkatClient._parse_attributed_mob_event(
        {
            "source": {"identity": "writer", "generation": 0},
            "role": "worker",
            "envelope": _agent_event_envelope(
                {"type": "text_delta", "delta": "hi"}
            ),
        }
    )

    assert event.source_fence_token is None


def test_parse_attributed_mob_event_fails_closed_on_missing_source():
    with pytest.raises(MeerkatError, match="missing source"):
        MeerkatClient._parse_attributed_mob_event(
            {
                "role": "worker",
                "envelope": _agent_event_envelope(
                    {"type": "text_delta", "delta": "hi"}
                ),
            }
        )


def test_parse_attributed_mob_event_rejects_legacy_string_source():
    # The wire source is the typed AgentRuntimeId record {identity, generation};
    # a free-form string source is a malformed frame and must fail closed.
    with pytest.raises(MeerkatError, match="missing source"):
        MeerkatClient._parse_attributed_mob_event(
            {
                "source": "writer",
                "role": "worker",
                "envelope": _agent_event_envelope(
                    {"type": "text_delta", "delta": "hi"}
                ),
            }
        )


def test_parse_attributed_mob_event_requires_generation():
    with pytest.raises(MeerkatError, match="generation"):
        MeerkatClient._parse_attributed_mob_event(
            {
                "source": {"identity": "writer"},
                "role": "worker",
                "envelope": _agent_event_envelope(
                    {"type": "text_delta", "delta": "hi"}
                ),
            }
        )


def test_parse_attributed_mob_event_rejects_negative_generation():
    with pytest.raises(MeerkatError, match="non-negative integer"):
        MeerkatClient._parse_attributed_mob_event(
            {
                "source": {"identity": "writer", "generation": -1},
                "role": "worker",
                "envelope": _agent_event_envelope(
                    {"type": "text_delta", "delta": "hi"}
                ),
            }
        )


def test_parse_attributed_mob_event_fails_closed_on_missing_envelope():
    with pytest.raises(MeerkatError, match="missing envelope"):
        MeerkatClient._parse_attributed_mob_event(
            {
                "source": {"identity": "writer", "generation": 0},
                "role": "worker",
            }
        )


def test_parse_attributed_mob_event_fails_closed_on_non_number_fence():
    with pytest.raises(MeerkatError, match="source_fence_token must be number"):
        MeerkatClient._parse_attributed_mob_event(
            {
                "source": {"identity": "writer", "generation": 0},
                "role": "worker",
                "source_fence_token": "7",
                "envelope": _agent_event_envelope(
                    {"type": "text_delta", "delta": "hi"}
                ),
            }
        )


def test_parse_event_envelope_uses_typed_source_not_legacy_source_id():
    event = MeerkatClient._parse_agent_event_envelope(
        _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    )

    assert event.source.type == "session"
    assert event.source.session_id == "00000000-0000-4000-8000-000000000001"
    assert event.event_id == "00000000-0000-4000-8000-000000000010"
    assert event.seq == 7
    assert event.timestamp_ms == 1_700_000_000_000


@pytest.mark.parametrize(
    "missing",
    ["event_id", "source", "seq", "timestamp_ms", "payload"],
)
def test_parse_event_envelope_rejects_every_missing_required_fact(missing: str):
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    del raw[missing]

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert missing in str(excinfo.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [("event_id", 7), ("seq", -1), ("seq", 1.5), ("timestamp_ms", "now")],
)
def test_parse_event_envelope_rejects_malformed_scalars(field: str, value):
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw[field] = value

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("field", ["seq", "timestamp_ms"])
def test_parse_event_envelope_rejects_values_above_u64(field: str):
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw[field] = 1 << 64

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "unsigned 64-bit integer" in str(excinfo.value)


def test_parse_event_envelope_accepts_u64_maximum():
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw["seq"] = (1 << 64) - 1
    raw["timestamp_ms"] = (1 << 64) - 1

    event = MeerkatClient._parse_agent_event_envelope(raw)

    assert event.seq == (1 << 64) - 1
    assert event.timestamp_ms == (1 << 64) - 1


@pytest.mark.parametrize(
    "event_id",
    [
        "not-a-uuid",
        "019e63c2000070008000000000000010",
        "019E63C2-0000-7000-8000-000000000010",
    ],
)
def test_parse_event_envelope_rejects_non_canonical_event_uuid(event_id: str):
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw["event_id"] = event_id

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "event_id" in str(excinfo.value)


def test_parse_event_envelope_rejects_legacy_source_id_without_typed_source():
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    del raw["source"]
    raw["source_id"] = "session:00000000-0000-4000-8000-000000000001"

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "source" in str(excinfo.value)


@pytest.mark.parametrize(
    "source",
    [None, "session", {"type": "session"}, {"type": "unknown"}],
)
def test_parse_event_envelope_rejects_malformed_typed_source(source):
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw["source"] = source

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize(
    "source",
    [
        {"type": "session", "session_id": "session-1"},
        {"type": "interaction", "interaction_id": "interaction-1"},
    ],
)
def test_parse_event_envelope_rejects_non_uuid_typed_source(source):
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw["source"] = source

    with pytest.raises(MeerkatError) as excinfo:
        MeerkatClient._parse_agent_event_envelope(raw)
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "canonical UUID" in str(excinfo.value)


def test_parse_event_envelope_preserves_optional_mob_id():
    raw = _agent_event_envelope({"type": "text_delta", "delta": "hi"})
    raw["mob_id"] = "00000000-0000-4000-8000-000000000020"

    event = MeerkatClient._parse_agent_event_envelope(raw)

    assert event.mob_id == "00000000-0000-4000-8000-000000000020"


def test_parse_tool_config_changed():
    raw = {
        "type": "tool_config_changed",
        "payload": {
            "operation": "remove",
            "target": "filesystem",
            "status_info": {
                "kind": "boundary_applied",
                "base_changed": True,
                "visible_changed": False,
                "revision": 9,
            },
            "persisted": False,
            "applied_at_turn": 7,
        },
    }
    event = parse_event(raw)
    assert isinstance(event, ToolConfigChanged)
    assert event.payload.operation == "remove"
    assert event.payload.target == "filesystem"
    assert isinstance(event.payload.status_info, BoundaryAppliedToolConfigChangeStatus)
    assert event.payload.status_info.base_changed is True
    assert event.payload.status_info.visible_changed is False
    assert event.payload.status_info.revision == 9
    assert event.payload.persisted is False
    assert event.payload.applied_at_turn == 7


def test_parse_tool_config_changed_with_malformed_payload():
    raw = {
        "type": "tool_config_changed",
        "payload": "not-an-object",
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"
    assert event.data == raw


def test_parse_tool_config_changed_with_bad_applied_at_turn():
    raw = {
        "type": "tool_config_changed",
        "payload": {
            "operation": "add",
            "target": "filesystem",
            "status": "staged",
            "persisted": True,
            "applied_at_turn": "oops",
        },
    }
    event = parse_event(raw)
    assert isinstance(event, ToolConfigChanged)
    assert event.payload.applied_at_turn is None


def test_parse_tool_config_changed_with_non_boolean_persisted():
    raw = {
        "type": "tool_config_changed",
        "payload": {
            "operation": "add",
            "target": "filesystem",
            "status": "staged",
            "persisted": "false",
        },
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"
    assert event.data == raw


def test_parse_background_job_completed_uses_typed_terminal_status():
    raw = {
        "type": "background_job_completed",
        "job_id": "j_123",
        "display_name": "sleep 2",
        "terminal_status": "failed",
        "detail": "exit_code: 1",
    }
    event = parse_event(raw)
    assert isinstance(event, BackgroundJobCompleted)
    assert event.job_id == "j_123"
    assert event.display_name == "sleep 2"
    assert event.terminal_status == "failed"
    assert event.detail == "exit_code: 1"


def test_parse_background_job_completed_requires_typed_terminal_status():
    raw = {
        "type": "background_job_completed",
        "job_id": "j_123",
        "display_name": "sleep 2",
        "status": "completed",
        "detail": "exit_code: 0",
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"
    assert event.data == raw


def test_parse_background_job_completed_rejects_unknown_terminal_status():
    raw = {
        "type": "background_job_completed",
        "job_id": "j_123",
        "display_name": "sleep 2",
        "status": "completed",
        "terminal_status": "success",
        "detail": "exit_code: 0",
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"
    assert event.data == raw


def test_background_job_completed_constructor_requires_terminal_status():
    with pytest.raises(TypeError):
        BackgroundJobCompleted(
            job_id="j_123",
            display_name="sleep 2",
            detail="exit_code: 0",
        )


def test_parse_transcript_rewrite_committed_exposes_record():
    record = {
        "commit": {
            "parent_revision": "rev-parent",
            "revision": "rev-next",
        },
        "parent_body": {"revision": "rev-parent"},
        "revision_body": {"revision": "rev-next"},
    }
    event = parse_event(
        {
            "type": "transcript_rewrite_committed",
            "session_id": "session-123",
            "record": record,
        }
    )

    assert isinstance(event, TranscriptRewriteCommitted)
    assert event.session_id == "session-123"
    assert event.record == record


def test_parse_transcript_rewrite_committed_rejects_missing_record():
    raw = {
        "type": "transcript_rewrite_committed",
        "session_id": "session-123",
    }
    event = parse_event(raw)

    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"
    assert event.data == raw


def test_parse_turn_completed_with_usage():
    raw = {
        "type": "turn_completed",
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 50, "output_tokens": 20},
    }
    event = parse_event(raw)
    assert isinstance(event, TurnCompleted)
    assert event.stop_reason == "end_turn"
    assert event.usage.input_tokens == 50
    assert event.usage.output_tokens == 20
    assert event.usage.cache_creation_tokens is None


def test_parse_run_failed_preserves_typed_terminal_cause_report():
    raw = {
        "type": "run_failed",
        "session_id": "s1",
        "error_class": "terminal",
        "error": "display text changed by caller",
        "error_report": {
            "class": "llm",
            "message": "machine terminalized LLM failure",
            "reason": {
                "reason_type": "turn_terminal_cause",
                "outcome": "failed",
                "cause_kind": "llm_failure",
            },
        },
    }

    event = parse_event(raw)

    assert isinstance(event, RunFailed)
    assert event.error == "display text changed by caller"
    assert isinstance(event.error_report, AgentErrorReport)
    assert event.error_report.class_ == "llm"
    assert event.error_report.message == "machine terminalized LLM failure"
    assert isinstance(event.error_report.reason, AgentErrorReason)
    assert event.error_report.reason.reason_type == "turn_terminal_cause"
    assert event.error_report.reason.outcome == "failed"
    assert event.error_report.reason.cause_kind == "llm_failure"


def test_parse_run_failed_does_not_infer_terminal_cause_from_display_fields():
    raw = {
        "type": "run_failed",
        "session_id": "s1",
        "error_class": "llm",
        "error": "LLM failure terminal turn",
        "error_report": {
            "class": "llm",
            "message": "LLM failure terminal turn",
            "reason": {
                "reason_type": "turn_terminal_cause",
                "outcome": "failed",
                "cause_kind": "not_a_machine_cause",
            },
        },
    }

    event = parse_event(raw)

    assert isinstance(event, RunFailed)
    assert event.error_report is not None
    assert event.error_report.reason is None


def test_parse_malformed_known_events_preserves_raw_payload():
    cases = [
        (
            {
                "type": "turn_completed",
                "usage": {"input_tokens": 50, "output_tokens": 20},
            },
            "missing stop_reason must not become end_turn",
        ),
        (
            {
                "type": "turn_completed",
                "stop_reason": "end_turn",
                "usage": {"input_tokens": "oops", "output_tokens": 20},
            },
            "malformed usage must not become token counts",
        ),
        (
            {
                "type": "tool_config_changed",
                "payload": {
                    "operation": "add",
                    "target": "filesystem",
                    "status": "staged",
                    "persisted": "false",
                },
            },
            "non-boolean persisted must not become false",
        ),
        (
            {
                "type": "tool_config_changed",
                "payload": {
                    "operation": "bogus",
                    "target": 0,
                    "status": 0,
                    "persisted": "false",
                },
            },
            "malformed operation/status semantics must not become an empty typed payload",
        ),
    ]

    for raw, reason in cases:
        event = parse_event(raw)
        assert isinstance(event, UnknownEvent), reason
        assert event.type == "malformed_event"
        assert event.data == raw


def test_parse_run_completed():
    raw = {
        "type": "run_completed",
        "session_id": "abc-123",
        "result": "Done!",
        "structured_output": {"answer": 42},
        "extraction_required": True,
        "usage": {"input_tokens": 100, "output_tokens": 50},
    }
    event = parse_event(raw)
    assert isinstance(event, RunCompleted)
    assert event.session_id == "abc-123"
    assert event.result == "Done!"
    assert event.structured_output == {"answer": 42}
    assert event.extraction_required is True
    assert event.usage.input_tokens == 100


def test_parse_extraction_terminal_events():
    succeeded = parse_event(
        {
            "type": "extraction_succeeded",
            "session_id": "abc-123",
            "structured_output": {"answer": 42},
            "schema_warnings": [{"provider": "openai", "path": "$", "message": "warn"}],
        }
    )
    assert isinstance(succeeded, ExtractionSucceeded)
    assert succeeded.session_id == "abc-123"
    assert succeeded.structured_output == {"answer": 42}

    failed = parse_event(
        {
            "type": "extraction_failed",
            "session_id": "abc-123",
            "last_output": "main answer",
            "attempts": 2,
            "reason": "Invalid JSON",
        }
    )
    assert isinstance(failed, ExtractionFailed)
    assert failed.last_output == "main answer"
    assert failed.attempts == 2
    assert failed.reason == "Invalid JSON"


def test_parse_run_failed_preserves_hook_denied_error_report():
    raw = {
        "type": "run_failed",
        "session_id": "session-1",
        "error_class": "hook",
        "error": "denied",
        "error_report": {
            "class": "hook",
            "message": "denied",
            "reason": {
                "reason_type": "hook_denied",
                "hook_id": "policy-gate",
                "point": "pre_tool_execution",
                "reason_code": "policy",
            },
        },
    }

    event = parse_event(raw)

    assert isinstance(event, RunFailed)
    assert event.error_report is not None
    assert event.error_report["class"] == "hook"
    assert event.error_report["reason"]["reason_type"] == "hook_denied"
    assert event.error_report["reason"]["hook_id"] == "policy-gate"


def test_parse_run_failed_does_not_promote_string_only_hook_id_mirrors():
    raw = {
        "type": "run_failed",
        "session_id": "session-1",
        "error_class": "hook",
        "error": "denied",
        "error_report": {
            "class": "hook",
            "message": "denied",
            "reason": {
                "reason_type": "hook_denied",
                "hook_id_string": "legacy-policy-gate",
                "point": "pre_tool_execution",
                "reason_code": "policy",
            },
        },
    }

    event = parse_event(raw)

    assert isinstance(event, RunFailed)
    assert event.error_report is not None
    reason = event.error_report["reason"]
    assert "hook_id" not in reason
    assert "hook_id_string" not in reason

    malformed = parse_event(
        {
            "type": "run_failed",
            "session_id": "session-1",
            "error_class": "hook",
            "error": "denied",
            "error_report": {
                "class": "hook",
                "message": "denied",
                "reason": {
                    "reason_type": "hook_denied",
                    "hook_id": {"value": "policy-gate"},
                    "point": "pre_tool_execution",
                    "reason_code": "policy",
                },
            },
        }
    )
    assert isinstance(malformed, UnknownEvent)
    assert malformed.type == "malformed_event"

    timeout_string_mirror = parse_event(
        {
            "type": "run_failed",
            "session_id": "session-1",
            "error_class": "hook",
            "error": "timeout",
            "error_report": {
                "class": "hook",
                "message": "timeout",
                "reason": {
                    "reason_type": "hook_timeout",
                    "hook_id_string": "legacy-policy-gate",
                    "timeout_ms": 100,
                },
            },
        }
    )
    assert isinstance(timeout_string_mirror, UnknownEvent)
    assert timeout_string_mirror.type == "malformed_event"


def test_parse_tool_execution_completed():
    raw = {
        "type": "tool_execution_completed",
        "id": "t1",
        "name": "search",
        "content": [
            {"type": "text", "text": "found it"},
            {
                "type": "image",
                "media_type": "image/png",
                "source": "inline",
                "data": "AAAA",
            },
        ],
        "is_error": False,
        "duration_ms": 42,
    }
    event = parse_event(raw)
    assert isinstance(event, ToolExecutionCompleted)
    assert event.name == "search"
    assert event.duration_ms == 42
    assert event.is_error is False
    assert event.content == [
        {"type": "text", "text": "found it"},
        {
            "type": "image",
            "media_type": "image/png",
            "source": "inline",
            "data": "AAAA",
        },
    ]


def test_parse_tool_result_received_content_blocks():
    raw = {
        "type": "tool_result_received",
        "id": "t1",
        "name": "search",
        "content": [{"type": "text", "text": "found it"}],
        "is_error": False,
    }
    event = parse_event(raw)
    assert isinstance(event, ToolResultReceived)
    assert event.content == [{"type": "text", "text": "found it"}]
    assert event.is_error is False


def test_parse_tool_execution_completed_preserves_malformed_content_blocks():
    raw = {
        "type": "tool_execution_completed",
        "id": "t1",
        "name": "search",
        "content": "not blocks",
        "is_error": False,
        "duration_ms": 42,
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"
    assert event.data == raw


def test_parse_tool_execution_completed_does_not_coerce_missing_or_malformed_is_error():
    missing = parse_event(
        {
            "type": "tool_execution_completed",
            "id": "t1",
            "name": "search",
            "content": [{"type": "text", "text": "found it"}],
        }
    )
    malformed = parse_event(
        {
            "type": "tool_execution_completed",
            "id": "t1",
            "name": "search",
            "content": [{"type": "text", "text": "found it"}],
            "is_error": "false",
        }
    )
    assert isinstance(missing, ToolExecutionCompleted)
    assert isinstance(malformed, ToolExecutionCompleted)
    assert missing.is_error is None
    assert malformed.is_error is None
    assert missing.duration_ms is None
    assert malformed.duration_ms is None
    assert missing.content == [{"type": "text", "text": "found it"}]
    assert malformed.content == [{"type": "text", "text": "found it"}]


def test_parse_unknown_event_type():
    # Fail CLOSED: a `type` not in the generated KNOWN_AGENT_EVENT_TYPES
    # inventory is a contract violation for a version-matched client and must
    # raise a typed error, not be laundered into a fabricated UnknownEvent.
    raw = {"type": "future_event_v2", "data": "something"}
    with pytest.raises(MeerkatError) as excinfo:
        parse_event(raw)
    assert excinfo.value.code == "UNKNOWN_EVENT_TYPE"


def test_parse_missing_type():
    # A frame with no `type` is a malformed wire shape — preserved as a
    # `malformed_event` UnknownEvent (not fabricated into a typed event, and not
    # a hard throw that would crash a streaming consumer on a control frame).
    raw = {"delta": "oops"}
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"


def test_parse_compaction_started():
    raw = {
        "type": "compaction_started",
        "input_tokens": 5000,
        "estimated_history_tokens": 4000,
        "message_count": 12,
    }
    event = parse_event(raw)
    assert isinstance(event, CompactionStarted)
    assert event.input_tokens == 5000
    assert event.message_count == 12


def test_parse_retrying():
    raw = {
        "type": "retrying",
        "attempt": 2,
        "max_attempts": 3,
        "error": "rate limit",
        "delay_ms": 2000,
    }
    event = parse_event(raw)
    assert isinstance(event, Retrying)
    assert event.attempt == 2
    assert event.delay_ms == 2000


def test_parse_skills_resolved_with_typed_skill_identities():
    source_uuid = "00000000-0000-4b11-8111-000000000001"
    raw = {
        "type": "skills_resolved",
        "skills": [{"source_uuid": source_uuid, "skill_name": "email-extractor"}],
        "injection_bytes": 128,
    }
    event = parse_event(raw)
    assert isinstance(event, SkillsResolved)
    assert event.skills == [
        SkillKey(source_uuid=source_uuid, skill_name="email-extractor"),
    ]
    assert event.injection_bytes == 128


def test_parse_skills_resolved_rejects_legacy_string_only_payload():
    raw = {
        "type": "skills_resolved",
        "skills": ["legacy/ref"],
        "injection_bytes": 128,
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"


def test_parse_skills_resolved_rejects_missing_typed_identity_fields():
    raw = {
        "type": "skills_resolved",
        "skills": [{"source_uuid": "00000000-0000-4b11-8111-000000000001"}],
        "injection_bytes": 128,
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.type == "malformed_event"


def test_parse_skill_resolution_failed_with_typed_reason():
    source_uuid = "00000000-0000-4b11-8111-000000000001"
    raw = {
        "type": "skill_resolution_failed",
        "skill_key": {"source_uuid": source_uuid, "skill_name": "email-extractor"},
        "reason": {
            "reason_type": "not_found",
            "key": {"source_uuid": source_uuid, "skill_name": "email-extractor"},
        },
    }
    event = parse_event(raw)
    assert isinstance(event, SkillResolutionFailed)
    assert event.skill_key == SkillKey(
        source_uuid=source_uuid,
        skill_name="email-extractor",
    )
    assert isinstance(event.reason, SkillResolutionFailureReason)
    assert event.reason.reason_type == "not_found"
    assert event.reason.key == SkillKey(
        source_uuid=source_uuid,
        skill_name="email-extractor",
    )


def test_parse_legacy_skill_resolution_failed_payload():
    raw = {
        "type": "skill_resolution_failed",
        "reference": "legacy/ref",
        "error": "missing",
    }
    event = parse_event(raw)
    assert isinstance(event, SkillResolutionFailed)
    assert event.skill_key is None
    assert event.reason is None
    # Legacy display mirrors are ignored on ingest; the typed fields are
    # the only carriers.
    assert not hasattr(event, "reference")
    assert not hasattr(event, "error")


def test_parse_skill_resolution_failed_does_not_fabricate_malformed_reason():
    raw = {
        "type": "skill_resolution_failed",
        "reason": {"reason_type": 0, "message": "bad"},
        "reference": "legacy/ref",
        "error": "missing",
    }
    event = parse_event(raw)
    assert isinstance(event, SkillResolutionFailed)
    assert event.reason is None


def test_parse_skill_resolution_failed_preserves_unknown_status_as_typed_unknown():
    raw = {
        "type": "skill_resolution_failed",
        "reason": {"reason_type": "future_status", "message": "future details"},
        "reference": "legacy/ref",
        "error": "missing",
    }
    event = parse_event(raw)
    assert isinstance(event, SkillResolutionFailed)
    assert event.skill_key is None
    assert isinstance(event.reason, SkillResolutionFailureReason)
    assert event.reason.reason_type == "unknown"
    assert event.reason.message == "future details"
    assert event.reason.raw_reason_type == "future_status"


def test_parse_skill_resolution_failed_does_not_fabricate_empty_keyed_reason():
    raw = {
        "type": "skill_resolution_failed",
        "reason": {"reason_type": "not_found"},
        "reference": "legacy/ref",
        "error": "missing",
    }
    event = parse_event(raw)
    assert isinstance(event, SkillResolutionFailed)
    assert event.skill_key is None
    assert event.reason is None


def test_parse_inline_video_content_block():
    block = MeerkatClient._parse_content_block(  # type: ignore[attr-defined]
        {
            "type": "video",
            "media_type": "video/mp4",
            "duration_ms": 12000,
            "source": "inline",
            "data": "AAAA",
        }
    )
    assert block["type"] == "video"
    assert block["media_type"] == "video/mp4"
    assert block["duration_ms"] == 12000
    assert block["data"] == "AAAA"


def test_parse_uri_video_content_block():
    block = MeerkatClient._parse_content_block(  # type: ignore[attr-defined]
        {
            "type": "video",
            "media_type": "video/mp4",
            "duration_ms": 12000,
            "source": "uri",
            "uri": "gs://example-bucket/timeline.mp4",
        }
    )
    assert block["type"] == "video"
    assert block["media_type"] == "video/mp4"
    assert block["duration_ms"] == 12000
    assert block["source"] == "uri"
    assert block["uri"] == "gs://example-bucket/timeline.mp4"


@pytest.mark.asyncio
async def test_client_comms_send_and_peers_call_expected_rpc_methods():
    client = MeerkatClient()
    calls = []

    async def fake_request(method, params):
        calls.append((method, params))
        if method == "comms/peers":
            return {"peers": [{"name": "agent-a"}]}
        return {
            "kind": "peer_message_sent",
            "envelope_id": "env-1",
            "delivery": "acked",
        }

    client._request = fake_request  # type: ignore[method-assign]

    blocks = [
        {"type": "text", "text": "hello"},
        {
            "type": "image",
            "media_type": "image/png",
            "source": "inline",
            "data": "AAAA",
        },
    ]
    send_receipt = await client.send(
        "s1",
        kind="peer_message",
        to="agent-a",
        body="hello",
        blocks=blocks,
    )
    peers = await client.peers("s1")

    assert send_receipt["kind"] == "peer_message_sent"
    assert send_receipt["envelope_id"] == "env-1"
    assert peers["peers"] == [{"name": "agent-a"}]
    assert [m for m, _ in calls] == ["comms/send", "comms/peers"]
    assert calls[0][1]["blocks"] == blocks


@pytest.mark.asyncio
async def test_session_peers_rejects_missing_required_peers_field():
    client = MeerkatClient()

    async def fake_request(method, params):
        assert method == "comms/peers"
        assert params == {"session_id": "s1"}
        return {}

    client._request = fake_request  # type: ignore[method-assign]
    session = Session(client, RunResult(session_id="s1"))

    with pytest.raises(MeerkatError, match="missing peers") as exc_info:
        await session.peers()

    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_realms_requires_the_wire_realms_field():
    client = MeerkatClient()

    async def fake_request(method, params):
        assert method == "realm/list"
        assert params == {}
        return {}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing realms") as exc_info:
        await client.list_realms()

    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_realms_accepts_present_empty_and_valid_typed_entries():
    client = MeerkatClient()
    responses = iter(
        [
            {"realms": []},
            {
                "realms": [
                    {
                        "realm_id": "default",
                        "default_binding": None,
                        "backend_count": 1,
                        "auth_profile_count": 2,
                        "binding_count": 3,
                    }
                ]
            },
        ]
    )

    async def fake_request(method, params):
        assert method == "realm/list"
        assert params == {}
        return next(responses)

    client._request = fake_request  # type: ignore[method-assign]

    assert await client.list_realms() == []
    assert await client.list_realms() == [
        {
            "realm_id": "default",
            "default_binding": None,
            "backend_count": 1,
            "auth_profile_count": 2,
            "binding_count": 3,
        }
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "response",
    [
        {"kind": "peer_message_sent", "delivery": "acked"},
        {"kind": "peer_message_sent", "envelope_id": "env-1", "acked": True},
        {
            "kind": "peer_message_sent",
            "envelope_id": "env-1",
            "delivery": "acked",
            "acked": True,
        },
        {
            "kind": "peer_request_sent",
            "envelope_id": "env-1",
            "interaction_id": "interaction-1",
            "stream_reserved": False,
        },
        {"kind": "input_accepted", "interaction_id": "interaction-1"},
        {"kind": "legacy_sent", "envelope_id": "env-1"},
    ],
)
async def test_client_comms_send_rejects_noncanonical_receipts(response) -> None:
    client = MeerkatClient()
    client._request = lambda _method, _params: asyncio.sleep(0, result=response)  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.send("s1", kind="peer_message", to="agent-a", body="hello")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_client_read_session_history_calls_expected_rpc_method():
    client = MeerkatClient()
    calls = []

    async def fake_request(method, params):
        calls.append((method, params))
        return {
            "session_id": params["session_id"],
            "session_ref": "history-ref",
            "message_count": 3,
            "offset": params["offset"],
            "limit": params.get("limit"),
            "has_more": False,
            "messages": [
                {
                    "role": "user",
                    "content": "hello",
                    "created_at": "2026-05-26T10:00:00Z",
                },
                {
                    "role": "block_assistant",
                    "blocks": [{"block_type": "text", "data": {"text": "ok"}}],
                    "stop_reason": "end_turn",
                    "created_at": "2026-05-26T10:00:01Z",
                },
            ],
        }

    client._request = fake_request  # type: ignore[method-assign]

    history = await client.read_session_history("s1", offset=1, limit=2)

    assert history.session_id == "s1"
    assert history.session_ref == "history-ref"
    assert history.offset == 1
    assert history.limit == 2
    assert [m for m, _ in calls] == ["session/history"]
    assert calls[0][1] == {"session_id": "s1", "offset": 1, "limit": 2}
    assert history.messages[1].role == "block_assistant"


@pytest.mark.asyncio
async def test_client_list_sessions_parses_summary_shape():
    client = MeerkatClient()

    async def fake_request(method, params):
        assert method == "session/list"
        assert params == {"labels": {"team": "sdk"}, "limit": 2, "offset": 1}
        return {
            "sessions": [
                {
                    "session_id": "s1",
                    "session_ref": "realm/s1",
                    "created_at": 1711111111,
                    "updated_at": 1711111222,
                    "message_count": 3,
                    "total_tokens": 77,
                    "labels": {"team": "sdk"},
                    "is_active": False,
                }
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    sessions = await client.list_sessions(labels={"team": "sdk"}, limit=2, offset=1)
    assert len(sessions) == 1
    assert isinstance(sessions[0], SessionSummary)
    assert sessions[0].session_id == "s1"
    assert sessions[0].total_tokens == 77
    assert sessions[0].created_at == 1711111111


@pytest.mark.asyncio
async def test_client_list_sessions_rejects_missing_required_summary_facts():
    client = MeerkatClient()

    async def missing_total_tokens(method, params):
        return {
            "sessions": [
                {
                    "session_id": "s1",
                    "created_at": 10,
                    "updated_at": 20,
                    "message_count": 2,
                    "is_active": True,
                }
            ]
        }

    client._request = missing_total_tokens  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing total_tokens"):
        await client.list_sessions()

    async def missing_sessions(method, params):
        return {}

    client._request = missing_sessions  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing sessions"):
        await client.list_sessions()


@pytest.mark.asyncio
async def test_client_get_blob_rejects_missing_required_fields():
    client = MeerkatClient()

    async def fake_request(method, params):
        return {"blob_id": "blob-1", "data": "AAAA"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing media_type"):
        await client.get_blob("blob-1")


@pytest.mark.asyncio
async def test_client_read_session_parses_details_shape():
    client = MeerkatClient()

    async def fake_request(method, params):
        assert method == "session/read"
        assert params == {"session_id": "s1"}
        return {
            "session_id": "s1",
            "session_ref": "realm/s1",
            "created_at": 1711111111,
            "updated_at": 1711111222,
            "message_count": 5,
            "labels": {"team": "sdk"},
            "is_active": True,
            "model": "claude-sonnet-4-6",
            "provider": "anthropic",
            "last_assistant_text": "hello",
            "resolved_capabilities": {
                "vision": True,
                "image_input": True,
                "image_tool_results": True,
                "inline_video": False,
                "realtime": False,
                "web_search": True,
                "image_generation": True,
            },
        }

    client._request = fake_request  # type: ignore[method-assign]

    details = await client.read_session("s1")
    assert isinstance(details, SessionDetails)
    assert details.session_id == "s1"
    assert details.model == "claude-sonnet-4-6"
    assert details.provider == "anthropic"
    assert details.last_assistant_text == "hello"
    assert details.resolved_capabilities == {
        "vision": True,
        "image_input": True,
        "image_tool_results": True,
        "inline_video": False,
        "realtime": False,
        "web_search": True,
        "image_generation": True,
    }


@pytest.mark.asyncio
async def test_client_read_session_rejects_missing_required_facts():
    client = MeerkatClient()

    async def fake_request(method, params):
        assert method == "session/read"
        assert params == {"session_id": "expected"}
        return {}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing session_id") as exc_info:
        await client.read_session("expected")

    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("labels", [None, {"priority": 7}, {1: "high"}])
def test_session_success_parsers_reject_malformed_present_labels(labels):
    details = {
        "session_id": "expected",
        "created_at": 10,
        "updated_at": 20,
        "message_count": 2,
        "is_active": True,
        "model": "gpt-test",
        "provider": "openai",
        "labels": labels,
    }
    summary = {
        "session_id": "expected",
        "created_at": 10,
        "updated_at": 20,
        "message_count": 2,
        "total_tokens": 3,
        "is_active": True,
        "labels": labels,
    }

    for parser, payload in (
        (MeerkatClient._parse_session_details, details),
        (MeerkatClient._parse_session_summary, summary),
    ):
        with pytest.raises(MeerkatError, match="labels") as exc_info:
            parser(payload)
        assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_client_read_session_drops_malformed_resolved_capabilities():
    client = MeerkatClient()

    async def fake_request(method, params):
        assert method == "session/read"
        return {
            "session_id": "s1",
            "created_at": 10,
            "updated_at": 20,
            "message_count": 2,
            "is_active": False,
            "model": "gpt-test",
            "provider": "openai",
            "resolved_capabilities": {
                "vision": True,
                "image_input": True,
                "image_tool_results": True,
                "inline_video": False,
                "realtime": False,
                "web_search": "yes",
                "image_generation": True,
            },
        }

    client._request = fake_request  # type: ignore[method-assign]

    details = await client.read_session("s1")

    assert details.resolved_capabilities is None


@pytest.mark.asyncio
async def test_models_catalog_rejects_malformed_provider_shapes():
    """Fail-closed parity with the TS SDK: a non-list providers or a
    non-object provider entry is a broken response, never coalesced into an
    empty/partial catalog."""
    client = MeerkatClient()

    async def null_providers(method, params=None):
        return {
            "contract_version": {"major": 0, "minor": 5, "patch": 1},
            "providers": None,
        }

    client._request = null_providers  # type: ignore[method-assign]
    with pytest.raises(MeerkatError) as excinfo:
        await client.get_models_catalog()
    assert excinfo.value.code == "INVALID_RESPONSE"

    async def non_dict_entry(method, params=None):
        return {
            "contract_version": {"major": 0, "minor": 5, "patch": 1},
            "providers": ["not-an-object"],
        }

    client._request = non_dict_entry  # type: ignore[method-assign]
    with pytest.raises(MeerkatError) as excinfo:
        await client.get_models_catalog()
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_client_models_catalog_and_schedule_wrappers_use_expected_rpc_methods():
    client = MeerkatClient()
    calls = []
    schedule = {
        "schedule_id": "sch_1",
        "phase": "active",
        "revision": 1,
        "trigger": {"type": "once", "due_at_utc": "2026-07-11T09:00:00Z"},
        "target": {"target_kind": "host_runnable", "runnable": "test"},
        "misfire_policy": {"type": "skip"},
        "overlap_policy": "skip_if_running",
        "missing_target_policy": "mark_misfired",
        "next_occurrence_ordinal": 1,
        "planning_horizon_days": 30,
        "planning_horizon_occurrences": 64,
        "created_at_utc": "2026-07-10T09:00:00Z",
        "updated_at_utc": "2026-07-10T09:00:00Z",
    }
    occurrence = {
        "occurrence_id": "occ_1",
        "schedule_id": "sch_1",
        "schedule_revision": 1,
        "occurrence_ordinal": 0,
        "phase": "pending",
        "due_at_utc": "2026-07-11T09:00:00Z",
        "trigger_snapshot": schedule["trigger"],
        "target_snapshot": schedule["target"],
        "misfire_policy": {"type": "skip"},
        "overlap_policy": "skip_if_running",
        "missing_target_policy": "mark_misfired",
        "attempt_count": 0,
        "created_at_utc": "2026-07-10T09:00:00Z",
    }

    async def fake_request(method, params):
        calls.append((method, params))
        if method == "help/ask":
            return {
                "session_id": "help-1",
                "text": "rkat mcp add ...",
                "turns": 1,
                "tool_calls": 0,
                "usage": {"input_tokens": 10, "output_tokens": 20},
            }
        if method == "models/catalog":
            return {
                "contract_version": {"major": 0, "minor": 5, "patch": 1},
                "providers": [
                    {
                        "provider": "anthropic",
                        "default_model_id": "claude-sonnet-4-6",
                        "models": [
                            {
                                "id": "claude-sonnet-4-6",
                                "profile": {
                                    "model_family": "claude",
                                    "vision": True,
                                    "image_input": True,
                                    "image_tool_results": True,
                                    "inline_video": False,
                                    "realtime": False,
                                    "supports_web_search": True,
                                    "image_generation": True,
                                    "supports_temperature": True,
                                    "supports_thinking": True,
                                    "supports_reasoning": True,
                                    "params_schema": {},
                                },
                            }
                        ],
                    }
                ],
            }
        if method == "schedule/list":
            return {"schedules": []}
        if method == "schedule/occurrences":
            return {"occurrences": [occurrence]}
        if method == "schedule/tools":
            return {"tools": [{"name": "meerkat_schedule_list"}]}
        if method.startswith("schedule/") and method != "schedule/call":
            return schedule
        return {"ok": True}

    client._request = fake_request  # type: ignore[method-assign]

    help_result = await client.ask_help(
        "How do I add an MCP server?",
        prompt="Write a game",
        execution_mode="plan_execution",
        model="claude-sonnet-4-6",
        provider="anthropic",
        max_tokens=512,
    )
    assert help_result.text == "rkat mcp add ..."

    models = await client.get_models_catalog()
    assert models["contract_version"] == {"major": 0, "minor": 5, "patch": 1}
    profile = models["providers"][0]["models"][0]["profile"]
    assert profile["supports_web_search"] is True
    assert "web_search" not in profile
    assert profile["image_generation"] is True

    created_schedule = await client.create_schedule({"name": "test"})
    assert created_schedule["superseded_ack_ids"] == []
    await client.get_schedule("sch_1")
    await client.list_schedules(labels={"env": "test"}, limit=5, offset=2)
    await client.update_schedule({"schedule_id": "sch_1", "name": "updated"})
    await client.pause_schedule("sch_1")
    await client.resume_schedule("sch_1")
    await client.delete_schedule("sch_1")
    occurrences = await client.list_schedule_occurrences("sch_1")
    assert occurrences["occurrences"][0]["occurrence_id"] == "occ_1"
    tools = await client.list_schedule_tools()
    assert tools["tools"][0]["name"] == "meerkat_schedule_list"
    await client.call_schedule_tool({"name": "meerkat_schedule_list"})

    assert [method for method, _ in calls] == [
        "help/ask",
        "models/catalog",
        "schedule/create",
        "schedule/get",
        "schedule/list",
        "schedule/update",
        "schedule/pause",
        "schedule/resume",
        "schedule/delete",
        "schedule/occurrences",
        "schedule/tools",
        "schedule/call",
    ]
    assert calls[0][1] == {
        "question": "How do I add an MCP server?",
        "execution_mode": "plan_execution",
        "prompt": "Write a game",
        "model": "claude-sonnet-4-6",
        "provider": "anthropic",
        "max_tokens": 512,
    }
    assert calls[4][1] == {"labels": {"env": "test"}, "limit": 5, "offset": 2}


@pytest.mark.asyncio
async def test_schedule_wrappers_reject_missing_or_malformed_required_results():
    cases = [
        ("schedule/get", None),
        ("schedule/get", {"schedule_id": "sch_1"}),
        ("schedule/list", []),
        ("schedule/list", {}),
        ("schedule/list", {"schedules": {}}),
        ("schedule/list", {"schedules": [{"schedule_id": "sch_1"}]}),
        (
            "schedule/list",
            {
                "schedules": [
                    {
                        "schedule_id": "sch_1",
                        "phase": "active",
                        "revision": 1,
                        "trigger": {},
                        "target": {},
                        "misfire_policy": {"type": "skip"},
                        "overlap_policy": "skip_if_running",
                        "missing_target_policy": "mark_misfired",
                        "next_occurrence_ordinal": 0,
                        "planning_horizon_days": 1,
                        "planning_horizon_occurrences": 1,
                        "created_at_utc": "2026-07-10T09:00:00Z",
                        "updated_at_utc": "2026-07-10T09:00:00Z",
                        "superseded_ack_ids": None,
                    }
                ]
            },
        ),
        (
            "schedule/list",
            {
                "schedules": [
                    {
                        "schedule_id": "sch_1",
                        "phase": "active",
                        "revision": 1,
                        "trigger": {},
                        "target": {},
                        "misfire_policy": {"type": "skip"},
                        "overlap_policy": "skip_if_running",
                        "missing_target_policy": "mark_misfired",
                        "next_occurrence_ordinal": 0,
                        "planning_horizon_days": 1,
                        "planning_horizon_occurrences": 1,
                        "created_at_utc": "2026-07-10T09:00:00Z",
                        "updated_at_utc": "2026-07-10T09:00:00Z",
                        "labels": None,
                    }
                ]
            },
        ),
        ("schedule/occurrences", "not-an-object"),
        ("schedule/occurrences", {}),
        ("schedule/occurrences", {"occurrences": {}}),
        (
            "schedule/occurrences",
            {"occurrences": [{"occurrence_id": "occ_1"}]},
        ),
        ("schedule/tools", 1),
        ("schedule/tools", {}),
        ("schedule/tools", {"tools": {}}),
        ("schedule/tools", {"tools": ["not-an-object"]}),
    ]

    for method, response in cases:
        client = MeerkatClient()

        async def fake_request(
            request_method, params, response=response, method=method
        ):
            assert request_method == method
            return response

        client._request = fake_request  # type: ignore[method-assign]

        with pytest.raises(MeerkatError) as excinfo:
            if method == "schedule/get":
                await client.get_schedule("sch_1")
            elif method == "schedule/list":
                await client.list_schedules()
            elif method == "schedule/occurrences":
                await client.list_schedule_occurrences("sch_1")
            else:
                await client.list_schedule_tools()

        assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_client_models_catalog_rejects_missing_or_malformed_contract_version():
    malformed_responses = [
        {"providers": []},
        {"contract_version": {"major": -1, "minor": 5, "patch": 1}, "providers": []},
    ]

    for response in malformed_responses:
        client = MeerkatClient()

        async def fake_request(method, params, response=response):
            assert method == "models/catalog"
            return response

        client._request = fake_request  # type: ignore[method-assign]

        with pytest.raises(MeerkatError, match="contract_version"):
            await client.get_models_catalog()


def test_create_session_params_forward_workgraph_override():
    params = MeerkatClient._build_create_params(
        "Hello",
        enable_schedule=True,
        enable_workgraph=True,
        enable_web_search=True,
    )

    assert params["enable_schedule"] is True
    assert params["enable_workgraph"] is True
    assert params["enable_web_search"] is True


def test_create_session_params_preserve_system_prompt_override_presence():
    inherited = MeerkatClient._build_create_params("Hello", system_prompt=None)
    empty_set = MeerkatClient._build_create_params("Hello", system_prompt="")
    disabled = MeerkatClient._build_create_params(
        "Hello", system_prompt={"action": "disable"}
    )

    assert "system_prompt" not in inherited
    assert empty_set["system_prompt"] == ""
    assert disabled["system_prompt"] == {"action": "disable"}


@pytest.mark.asyncio
async def test_client_workgraph_wrappers_use_expected_rpc_methods():
    client = MeerkatClient()
    calls = []
    timestamp = "2026-05-12T12:00:00Z"
    item = {
        "id": "prep-dentist-ride",
        "realm_id": "homecore",
        "namespace": "family/appointments",
        "title": "Prep A for non-preferred dentist car",
        "status": "open",
        "priority": "high",
        "completion_policy": {"kind": "self_attest"},
        "cancelled_child_join_policy": "require_success",
        "failed_child_join_policy": "require_success",
        "labels": ["autism-support", "dentist"],
        "revision": 1,
        "machine_state": {},
        "created_at": timestamp,
        "updated_at": timestamp,
        "external_refs": [{"kind": "calendar_event", "id": "dentist-visit"}],
        "evidence_refs": [{"kind": "message_draft", "id": "draft-1"}],
    }
    attention_binding = {
        "binding_id": "attn-1",
        "work_ref": {
            "realm_id": "homecore",
            "namespace": "family/appointments",
            "item_id": "prep-dentist-ride",
        },
        "target": {
            "kind": "session",
            "session_id": "019e63c2-0000-7000-8000-000000000030",
        },
        "mode": "pursue",
        "status": {"state": "active"},
        "delegated_authority": "request_closure",
        "created_at": timestamp,
        "updated_at": timestamp,
    }

    async def fake_request(method, params):
        calls.append((method, params))
        if method == "workgraph/get":
            return item
        if method in {"workgraph/list", "workgraph/ready"}:
            return {"items": [item]}
        if method == "workgraph/snapshot":
            return {
                "realm_id": "homecore",
                "namespace": "family/appointments",
                "all_namespaces": False,
                "captured_at": timestamp,
                "event_high_water_mark": 7,
                "items": [item],
                "edges": [],
                "attention": [],
                "ready_item_ids": ["prep-dentist-ride"],
            }
        if method == "workgraph/events":
            return {
                "events": [
                    {
                        "seq": 7,
                        "realm_id": "homecore",
                        "namespace": "family/appointments",
                        "item_id": "prep-dentist-ride",
                        "kind": "created",
                        "at": timestamp,
                        "payload": {},
                    }
                ]
            }
        if method == "workgraph/goal/status":
            return {"item": item, "attention": attention_binding}
        if method == "workgraph/attention/list":
            return {"attention": [attention_binding]}
        raise AssertionError(f"unexpected method {method}")

    client._request = fake_request  # type: ignore[method-assign]

    fetched = await client.get_workgraph_item(
        "prep-dentist-ride",
        realm_id="homecore",
        namespace="family/appointments",
    )
    listed = await client.list_workgraph_items({"realm_id": "homecore", "limit": 5})
    ready = await client.list_ready_workgraph_items(
        {"namespace": "family/appointments", "limit": 3}
    )
    snapshot = await client.get_workgraph_snapshot(
        {"realm_id": "homecore", "namespace": "family/appointments"}
    )
    events = await client.list_workgraph_events({"realm_id": "homecore", "limit": 10})
    goal = await client.get_workgraph_goal_status(
        {"binding_id": "attn-1", "namespace": "family/appointments"}
    )
    attention = await client.list_workgraph_attention(
        {
            "realm_id": "homecore",
            "status": {"state": "paused", "until": timestamp},
            "target": {
                "kind": "session",
                "session_id": "019e63c2-0000-7000-8000-000000000030",
            },
        }
    )

    # K21: every workgraph read flows through the generated fail-closed
    # parsers (`from_wire`) and returns generated dataclasses, not raw dicts.
    assert fetched.id == "prep-dentist-ride"
    assert fetched.owner is None
    assert fetched.evidence_refs[0].id == "draft-1"
    assert listed.items[0].priority == "high"
    assert ready.items[0].status == "open"
    assert snapshot.ready_item_ids == ["prep-dentist-ride"]
    assert events.events[0].kind == "created"
    assert goal.attention.binding_id == "attn-1"
    assert goal.item.id == "prep-dentist-ride"
    assert attention.attention[0].binding_id == "attn-1"
    assert attention.attention[0].target == {
        "kind": "session",
        "session_id": "019e63c2-0000-7000-8000-000000000030",
    }
    assert [method for method, _ in calls] == [
        "workgraph/get",
        "workgraph/list",
        "workgraph/ready",
        "workgraph/snapshot",
        "workgraph/events",
        "workgraph/goal/status",
        "workgraph/attention/list",
    ]
    assert calls[0][1] == {
        "id": "prep-dentist-ride",
        "realm_id": "homecore",
        "namespace": "family/appointments",
    }
    assert calls[1][1] == {"realm_id": "homecore", "limit": 5}
    assert calls[2][1] == {"namespace": "family/appointments", "limit": 3}
    assert calls[5][1] == {
        "binding_id": "attn-1",
        "namespace": "family/appointments",
    }
    assert calls[6][1] == {
        "realm_id": "homecore",
        "status": {"state": "paused", "until": timestamp},
        "target": {
            "kind": "session",
            "session_id": "019e63c2-0000-7000-8000-000000000030",
        },
    }


@pytest.mark.asyncio
async def test_session_turn_and_stream_support_full_turn_overrides():
    session_calls = []

    class StubClient:
        async def _start_turn(self, session_id, prompt, **kwargs):
            session_calls.append(("turn", session_id, prompt, kwargs))
            return RunResult(session_id=session_id, text="ok", usage=Usage())

        def _start_turn_streaming(self, session_id, prompt, **kwargs):
            session_calls.append(("stream", session_id, prompt, kwargs))
            return "stream-handle"

    session = Session(
        StubClient(),  # type: ignore[arg-type]
        RunResult(session_id="s1", text="ready", usage=Usage()),
    )

    result = await session.turn(
        "next",
        additional_instructions=["Follow policy A."],
        keep_alive=True,
        model="claude-sonnet-4-6",
        provider="anthropic",
        self_hosted_server_id="local-b",
        max_tokens=512,
        system_prompt="System",
        output_schema={"type": "object"},
        structured_output_retries=3,
        provider_params={"reasoning_effort": "low"},
    )
    assert result.text == "ok"

    stream_handle = session.stream(
        "stream it",
        additional_instructions=["Follow policy B."],
        keep_alive=False,
        model="gpt-5.4",
        provider="openai",
        self_hosted_server_id="local-b",
        max_tokens=256,
        system_prompt="Stream system",
        output_schema={"type": "object"},
        structured_output_retries=2,
        provider_params={"foo": "bar"},
    )
    assert stream_handle == "stream-handle"
    assert session_calls[0][0] == "turn"
    assert session_calls[0][3]["additional_instructions"] == ["Follow policy A."]
    assert session_calls[0][3]["keep_alive"] is True
    assert session_calls[0][3]["self_hosted_server_id"] == "local-b"
    assert session_calls[1][0] == "stream"
    assert session_calls[1][3]["additional_instructions"] == ["Follow policy B."]
    assert session_calls[1][3]["model"] == "gpt-5.4"
    assert session_calls[1][3]["self_hosted_server_id"] == "local-b"


@pytest.mark.asyncio
async def test_client_turn_start_threads_exact_self_hosted_route():
    client = MeerkatClient()
    calls = []

    async def fake_request(method, params):
        calls.append((method, params))
        return {
            "session_id": "s1",
            "text": "ok",
            "turns": 1,
            "tool_calls": 0,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }

    client._request = fake_request  # type: ignore[method-assign]
    await client._start_turn(  # noqa: SLF001
        "s1",
        "continue locally",
        model="shared-local-model",
        provider="self_hosted",
        self_hosted_server_id="local-b",
    )

    assert calls == [
        (
            "turn/start",
            {
                "session_id": "s1",
                "prompt": "continue locally",
                "model": "shared-local-model",
                "provider": "self_hosted",
                "self_hosted_server_id": "local-b",
            },
        )
    ]


@pytest.mark.asyncio
async def test_client_mcp_methods_send_expected_rpc_calls():
    client = MeerkatClient()
    calls = []

    async def fake_request(method, params):
        calls.append((method, params))
        return {
            "session_id": params["session_id"],
            "operation": method.split("/")[1],
            "status": "staged",
            "persisted": params.get("persisted", False),
            "server_name": params.get("server_name")
            or params.get("server_config", {}).get("name"),
            "applied_at_turn": None,
        }

    client._request = fake_request  # type: ignore[method-assign]

    add = await client.mcp_add("s1", {"name": "filesystem", "command": "npx"})
    remove = await client.mcp_remove("s1", "filesystem", persisted=True)
    reload = await client.mcp_reload("s1", server_name="filesystem")

    assert add.operation == "add"
    assert remove.operation == "remove"
    assert reload.operation == "reload"
    assert [m for m, _ in calls] == ["mcp/add", "mcp/remove", "mcp/reload"]


@pytest.mark.asyncio
async def test_client_mcp_methods_propagate_request_failures():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        raise MeerkatError("TRANSPORT", "boom")

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="boom"):
        await client.mcp_add("s1", {"name": "filesystem", "command": "npx"})
    with pytest.raises(MeerkatError, match="boom"):
        await client.mcp_remove("s1", "filesystem")
    with pytest.raises(MeerkatError, match="boom"):
        await client.mcp_reload("s1", server_name="filesystem")


@pytest.mark.asyncio
async def test_client_mcp_methods_reject_malformed_response():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "session_id": "s1",
            "operation": "add",
            "status": "staged",
            "persisted": "false",
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="persisted must be boolean"):
        await client.mcp_add("s1", {"name": "filesystem", "command": "npx"})


@pytest.mark.asyncio
async def test_mob_turn_start_wrapper_uses_typed_prompt_and_overrides():
    client = MeerkatClient()
    calls = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        calls.append((method, params))
        return {"status": "started"}

    client._request = fake_request  # type: ignore[method-assign]

    # Set coverage: the canonical tagged tri-state passes through unchanged.
    await client.mob_turn_start(
        "mob-1",
        "worker-1",
        [{"type": "text", "text": "continue"}],
        skill_refs=[
            SkillKey(
                source_uuid="00000000-0000-4000-8000-000000000001",
                skill_name="read",
            )
        ],
        turn_tool_overlay={"allowed_tools": ["read"], "blocked_tools": []},
        additional_instructions=["stay concise"],
        keep_alive=True,
        model="gpt-test",
        provider="openai",
        self_hosted_server_id="local-b",
        max_tokens=128,
        system_prompt="system",
        output_schema={"type": "object"},
        structured_output_retries=2,
        provider_params={"action": "set", "value": {"temperature": 0.2}},
        auth_binding={
            "action": "set",
            "value": {"realm": "dev", "binding": "default_openai"},
        },
    )

    assert calls == [
        (
            "mob/turn_start",
            {
                "mob_id": "mob-1",
                "agent_identity": "worker-1",
                "prompt": [{"type": "text", "text": "continue"}],
                "skill_refs": [
                    {
                        "kind": "structured",
                        "source_uuid": "00000000-0000-4000-8000-000000000001",
                        "skill_name": "read",
                    }
                ],
                "turn_tool_overlay": {
                    "allowed_tools": ["read"],
                    "blocked_tools": [],
                },
                "additional_instructions": ["stay concise"],
                "keep_alive": True,
                "model": "gpt-test",
                "provider": "openai",
                "self_hosted_server_id": "local-b",
                "max_tokens": 128,
                "system_prompt": "system",
                "output_schema": {"type": "object"},
                "structured_output_retries": 2,
                "provider_params": {
                    "action": "set",
                    "value": {"temperature": 0.2},
                },
                "auth_binding": {
                    "action": "set",
                    "value": {"realm": "dev", "binding": "default_openai"},
                },
            },
        )
    ]

    # Clear coverage: the tagged `clear` override passes through unchanged.
    calls.clear()
    await client.mob_turn_start(
        "mob-1",
        "worker-1",
        "continue",
        provider_params={"action": "clear"},
        auth_binding={"action": "clear"},
    )
    assert calls == [
        (
            "mob/turn_start",
            {
                "mob_id": "mob-1",
                "agent_identity": "worker-1",
                "prompt": "continue",
                "provider_params": {"action": "clear"},
                "auth_binding": {"action": "clear"},
            },
        )
    ]

    # Inherit coverage: omitted -> the field is omitted on the wire.
    calls.clear()
    await client.mob_turn_start("mob-1", "worker-1", "continue")
    assert "provider_params" not in calls[0][1]
    assert "auth_binding" not in calls[0][1]

    # The retired split `clear_*` keyword form is gone from the wrapper —
    # callers carry the canonical tri-state directly.
    with pytest.raises(TypeError):
        await client.mob_turn_start(
            "mob-1",
            "worker-1",
            "continue",
            clear_provider_params=True,
        )

    with pytest.raises(TypeError):
        await client.mob_turn_start(
            "mob-1",
            "worker-1",
            "continue",
            clear_auth_binding=True,
        )

    with pytest.raises(TypeError):
        await client.mob_turn_start(
            "mob-1",
            "worker-1",
            "continue",
            unexpected_override=True,
        )


# ---------------------------------------------------------------------------
# Pattern matching
# ---------------------------------------------------------------------------


def test_match_case_text_delta():
    event = parse_event({"type": "text_delta", "delta": "hi"})
    match event:
        case TextDelta(delta=text):
            assert text == "hi"
        case _:
            assert False, "Should match TextDelta"


def test_match_case_run_started():
    event = parse_event({"type": "run_started", "session_id": "s1", "prompt": "yo"})
    match event:
        case RunStarted(session_id=sid, prompt=p):
            assert sid == "s1"
            assert p == "yo"
        case _:
            assert False, "Should match RunStarted"


@pytest.mark.asyncio
async def test_client_session_and_mob_observe_methods_use_explicit_rpc_methods():
    client = MeerkatClient()
    calls = []

    async def fake_request(method, params):
        calls.append((method, params))
        return {"stream_id": f"{method}-stream"}

    class DummyDispatcher:
        def subscribe_stream(self, stream_id):
            queue = asyncio.Queue()
            queue.put_nowait(None)
            return queue

        def unsubscribe_stream(self, _stream_id):
            return None

    client._request = fake_request  # type: ignore[method-assign]
    client._dispatcher = DummyDispatcher()  # type: ignore[assignment]

    session_sub = await client.subscribe_session_events("s1")
    member_sub = await client.subscribe_mob_member_events("mob-1", "agent-a")
    mob_sub = await client.subscribe_mob_events("mob-1")

    assert session_sub.stream_id == "session/stream_open-stream"
    assert member_sub.stream_id == "mob/stream_open-stream"
    assert mob_sub.stream_id == "mob/stream_open-stream"
    assert calls == [
        ("session/stream_open", {"session_id": "s1"}),
        ("mob/stream_open", {"mob_id": "mob-1", "agent_identity": "agent-a"}),
        ("mob/stream_open", {"mob_id": "mob-1"}),
    ]


@pytest.mark.asyncio
async def test_client_mob_lifecycle_and_send_methods_use_explicit_rpc_methods():
    client = MeerkatClient()
    calls = []

    async def fake_request(method, params):
        calls.append((method, params))
        if method == "mob/create":
            return {"mob_id": "mob-1"}
        if method == "mob/list":
            return {"mobs": [{"mob_id": "mob-1"}]}
        if method == "mob/status":
            return {"mob_id": "mob-1", "status": "running"}
        if method == "mob/members":
            return {
                "members": [
                    {
                        "agent_identity": "agent-a",
                        "member_ref": _make_member_ref("mob-1", "agent-a"),
                        "role": "planner",
                    }
                ]
            }
        if method == "mob/spawn":
            return {
                "mob_id": "mob-1",
                "agent_identity": "agent-a",
                "member_ref": _make_member_ref("mob-1", "agent-a"),
            }
        if method == "mob/member_status":
            return {
                "status": "active",
                "member_ref": _make_member_ref("mob-1", "agent-a"),
                "tokens_used": 5,
                "is_final": False,
                "agent_runtime_id": {"identity": "agent-a", "generation": 1},
                "fence_token": 7,
                "peer_connectivity": {
                    "status": "known",
                    "snapshot": {
                        "reachable_peer_count": 2,
                        "unknown_peer_count": 1,
                        "unreachable_peers": [{"peer": "agent-b", "reason": "timeout"}],
                    },
                },
                "resolved_capabilities": {
                    "vision": False,
                    "image_input": False,
                    "image_tool_results": False,
                    "inline_video": False,
                    "realtime": True,
                    "web_search": False,
                    "image_generation": False,
                },
            }
        if method == "mob/respawn":
            return {
                "status": "completed",
                "receipt": {
                    "identity": "agent-a",
                    "member_ref": _make_member_ref("mob-1", "agent-a"),
                },
            }
        if method == "mob/flows":
            return {"mob_id": "mob-1", "flows": ["incident"]}
        if method == "mob/run":
            return {"run_id": "run-typed"}
        if method == "mob/flow_run":
            return {"run_id": "run-1"}
        if method == "mob/flow_status":
            return {
                "run": {"status": "running"},
                "execution_binding": {"binding_id": "binding-1"},
            }
        if method == "mob/wait_kickoff":
            return {
                "members": [
                    {
                        "agent_identity": "agent-a",
                        "agent_runtime_id": {"identity": "agent-a", "generation": 1},
                        "fence_token": 7,
                        "status": "active",
                        "tokens_used": 3,
                        "is_final": False,
                    }
                ]
            }
        if method == "mob/wait_ready":
            return {
                "members": [
                    {
                        "agent_identity": "agent-a",
                        "agent_runtime_id": {"identity": "agent-a", "generation": 1},
                        "fence_token": 7,
                        "status": "active",
                        "tokens_used": 3,
                        "is_final": False,
                    }
                ]
            }
        if method == "mob/append_system_context":
            return {"mob_id": "mob-1", "agent_identity": "agent-a", "status": "applied"}
        return {}

    client._request = fake_request  # type: ignore[method-assign]
    client.require_capability = lambda _cap: None  # type: ignore[method-assign]

    mob = await client.create_mob(
        definition={
            "id": "mob-1",
            "profiles": {"worker": {"model": "claude-sonnet-4-6"}},
        }
    )
    assert mob.id == "mob-1"
    assert await client.list_mobs() == [{"mob_id": "mob-1"}]
    assert await client.mob_status("mob-1") == {"mob_id": "mob-1", "status": "running"}
    expected_agent_a_ref = _make_member_ref("mob-1", "agent-a")
    assert await client.list_mob_members("mob-1") == [
        {
            "agent_identity": "agent-a",
            "member_ref": expected_agent_a_ref,
            "profile": "planner",
        }
    ]
    spawn_receipt = await client.spawn_mob_member(
        "mob-1",
        profile="planner",
        agent_identity="agent-a",
        initial_message=[{"type": "text", "text": "hello"}],
        runtime_mode="autonomous_host",
        backend="session",
        labels={"role": "planner"},
        context={"ticket": "LUC-134"},
        additional_instructions=["stay focused"],
        placement="host-b",
        binding={"kind": "session"},
        shell_env={"TEST_MODE": "1"},
        auto_wire_parent=True,
        launch_mode={"mode": "fresh"},
        tool_access_policy={"type": "allow_list", "value": ["grep"]},
        inherited_tool_filter={"Allow": ["grep"]},
        override_profile={
            "model": "claude-sonnet-4-6",
            "tools": {"shell": True},
        },
        auth_binding={"realm": "dev", "binding": "default_anthropic"},
    )
    assert spawn_receipt == {
        "mob_id": "mob-1",
        "agent_identity": "agent-a",
        "member_ref": expected_agent_a_ref,
    }
    await client.retire_mob_member("mob-1", "agent-a")
    status = await client.mob_member_status("mob-1", "agent-a")
    assert "agent_runtime_id" not in status
    assert "fence_token" not in status
    assert status["member_ref"] == expected_agent_a_ref
    assert status["peer_connectivity"] == {
        "status": "known",
        "snapshot": {
            "reachable_peer_count": 2,
            "unknown_peer_count": 1,
            "unreachable_peers": [{"peer": "agent-b", "reason": "timeout"}],
        },
    }
    assert status["resolved_capabilities"]["realtime"] is True

    client._request = fake_request  # type: ignore[method-assign]
    await client.respawn_mob_member("mob-1", "agent-a", "hello")
    await client.wire_mob_members("mob-1", "a", "b")
    await client.unwire_mob_members(
        "mob-1",
        "a",
        {
            "external": {
                "name": "remote",
                "address": "inproc://remote",
                "identity": {
                    "kind": "ed25519_public_key",
                    "public_key": "ed25519:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
                },
            }
        },
    )
    await client.mob_lifecycle("mob-1", "start")
    wait_members = await client.wait_mob_kickoff(
        "mob-1",
        member_ids=["agent-a"],
        timeout_ms=1234,
    )
    assert wait_members[0]["agent_identity"] == "agent-a"
    assert wait_members[0]["status"] == "active"
    assert "agent_runtime_id" not in wait_members[0]
    assert "fence_token" not in wait_members[0]

    mob_handle = client.mob("mob-1")
    scoped_wait_members = await mob_handle.wait_for_kickoff_complete(timeout_ms=99)
    assert scoped_wait_members[0]["agent_identity"] == "agent-a"
    ready_members = await client.wait_mob_ready(
        "mob-1",
        member_ids=["agent-a"],
        timeout_ms=222,
    )
    assert ready_members[0]["agent_identity"] == "agent-a"
    scoped_ready_members = await mob_handle.wait_for_ready(timeout_ms=88)
    assert scoped_ready_members[0]["agent_identity"] == "agent-a"

    append_result = await client.append_mob_system_context(
        "mob-1", "agent-a", "context"
    )
    assert append_result == {
        "mob_id": "mob-1",
        "agent_identity": "agent-a",
        "status": "applied",
    }
    assert await client.list_mob_flows("mob-1") == ["incident"]
    assert await mob_handle.run({"severity": "high"}, prompt="triage") == "run-typed"
    assert await client.run_mob_flow("mob-1", "incident") == "run-1"
    assert await client.get_mob_flow_status("mob-1", "run-1") == {
        "status": "running",
        "execution_binding": {"binding_id": "binding-1"},
    }
    await client.cancel_mob_flow("mob-1", "run-1")

    assert [method for method, _ in calls] == [
        "mob/create",
        "mob/list",
        "mob/status",
        "mob/members",
        "mob/spawn",
        "mob/retire",
        "mob/member_status",
        "mob/respawn",
        "mob/wire",
        "mob/unwire",
        "mob/lifecycle",
        "mob/wait_kickoff",
        "mob/wait_kickoff",
        "mob/wait_ready",
        "mob/wait_ready",
        "mob/append_system_context",
        "mob/flows",
        "mob/run",
        "mob/flow_run",
        "mob/flow_status",
        "mob/flow_cancel",
    ]
    assert calls[17][1] == {
        "mob_id": "mob-1",
        "params": {"severity": "high"},
        "prompt": "triage",
    }
    assert calls[8][1] == {"mob_id": "mob-1", "member": "a", "peer": {"local": "b"}}
    assert calls[9][1] == {
        "mob_id": "mob-1",
        "member": "a",
        "peer": {
            "external": {
                "name": "remote",
                "address": "inproc://remote",
                "identity": {
                    "kind": "ed25519_public_key",
                    "public_key": "ed25519:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
                },
            }
        },
    }
    assert calls[11][1] == {
        "mob_id": "mob-1",
        "member_ids": ["agent-a"],
        "timeout_ms": 1234,
    }
    assert calls[12][1] == {"mob_id": "mob-1", "timeout_ms": 99}
    assert calls[4][1] == {
        "mob_id": "mob-1",
        "profile": "planner",
        "agent_identity": "agent-a",
        "initial_message": [{"type": "text", "text": "hello"}],
        "runtime_mode": "autonomous_host",
        "backend": "session",
        "labels": {"role": "planner"},
        "context": {"ticket": "LUC-134"},
        "additional_instructions": ["stay focused"],
        "placement": "host-b",
        "binding": {"kind": "session"},
        "shell_env": {"TEST_MODE": "1"},
        "auto_wire_parent": True,
        "launch_mode": {"mode": "fresh"},
        "tool_access_policy": {"type": "allow_list", "value": ["grep"]},
        "inherited_tool_filter": {"Allow": ["grep"]},
        "override_profile": {
            "model": "claude-sonnet-4-6",
            "tools": {"shell": True},
        },
        "auth_binding": {"realm": "dev", "binding": "default_anthropic"},
    }


@pytest.mark.asyncio
async def test_client_mob_wrappers_reject_malformed_success_responses():
    client = MeerkatClient()
    client.require_capability = lambda _cap: None  # type: ignore[method-assign]

    async def empty_response(method, params):
        return {}

    client._request = empty_response  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing mob_id"):
        await client.create_mob(definition={"id": "mob-1", "profiles": {}})
    with pytest.raises(MeerkatError, match="missing mobs"):
        await client.list_mobs()

    async def fake_request(method, params):
        if method == "mob/cancel_work":
            return {"ok": True}
        if method == "mob/cancel_all_work":
            return {"mob_id": "mob-1"}
        if method == "mob/profile/list":
            return {}
        if method == "mob/flows":
            return {"mob_id": "mob-1", "flows": ["incident", 42]}
        if method == "mob/flow_run":
            return {}
        if method == "mob/run":
            return {}
        return {}

    client._request = fake_request  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing mob_id"):
        await client.mob_cancel_work("mob-1", "work-1")
    with pytest.raises(MeerkatError, match="ok must be boolean"):
        await client.mob_cancel_all_work(_make_member_ref("mob-1", "agent-a"))
    with pytest.raises(MeerkatError, match="missing profiles"):
        await client.list_mob_profiles()
    with pytest.raises(MeerkatError, match=r"flows\[1\] must be string"):
        await client.list_mob_flows("mob-1")
    with pytest.raises(MeerkatError, match="missing run_id"):
        await client.run_mob_flow("mob-1", "incident")
    with pytest.raises(MeerkatError, match="missing run_id"):
        await client.run_mob("mob-1")


@pytest.mark.asyncio
async def test_spawn_mob_member_rejects_missing_runtime_mob_id() -> None:
    client = MeerkatClient()

    async def fake_request(
        _method: str, _params: dict[str, object]
    ) -> dict[str, object]:
        return {
            "agent_identity": "agent-a",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing mob_id"):
        await client.spawn_mob_member(
            "mob-1",
            profile="worker",
            agent_identity="agent-a",
        )


@pytest.mark.asyncio
async def test_mob_status_rejects_missing_status():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"mob_id": "mob-1"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing status"):
        await client.mob_status("mob-1")


@pytest.mark.asyncio
async def test_wait_mob_ready_rejects_malformed_member_snapshot():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "members": [
                {
                    "agent_identity": "lead",
                    "status": "active",
                    "tokens_used": 42,
                }
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="is_final must be boolean"):
        await client.wait_mob_ready("mob-1")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_missing_member_ref():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        # member_ref absent: the runtime-owned handle is required, so the
        # SDK must fail closed rather than fabricate or omit it.
        return {"status": "active", "tokens_used": 5, "is_final": False}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing member_ref"):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_missing_tokens_used():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "is_final": False,
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing tokens_used"):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_parses_tri_state_peer_connectivity():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "peer_connectivity": {"status": "probe_timed_out"},
        }

    client._request = fake_request  # type: ignore[method-assign]

    status = await client.mob_member_status("mob-1", "agent-a")
    assert status["peer_connectivity"] == {"status": "probe_timed_out"}


@pytest.mark.asyncio
async def test_mob_member_status_rejects_unknown_peer_connectivity_tag():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "peer_connectivity": {"status": "half-open"},
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="unknown peer_connectivity status"):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_legacy_flat_peer_connectivity():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "peer_connectivity": {
                "reachable_peer_count": 2,
                "unknown_peer_count": 0,
                "unreachable_peers": [],
            },
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="unknown peer_connectivity status"):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_wait_mob_kickoff_parses_tri_state_peer_connectivity():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "members": [
                {
                    "agent_identity": "lead",
                    "status": "active",
                    "tokens_used": 42,
                    "is_final": False,
                    "peer_connectivity": {
                        "status": "known",
                        "snapshot": {
                            "reachable_peer_count": 1,
                            "unknown_peer_count": 0,
                        },
                    },
                }
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    members = await client.wait_mob_kickoff("mob-1")
    assert members[0]["peer_connectivity"] == {
        "status": "known",
        "snapshot": {
            "reachable_peer_count": 1,
            "unknown_peer_count": 0,
            "unreachable_peers": [],
        },
    }


@pytest.mark.asyncio
async def test_wait_mob_kickoff_rejects_unknown_peer_connectivity_tag():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "members": [
                {
                    "agent_identity": "lead",
                    "status": "active",
                    "tokens_used": 42,
                    "is_final": False,
                    "peer_connectivity": {"status": "half-open"},
                }
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="unknown peer_connectivity status"):
        await client.wait_mob_kickoff("mob-1")


@pytest.mark.asyncio
async def test_mob_helper_wrappers_reject_missing_tokens_used():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        result = _exact_helper_result("mob-1", "helper-a")
        del result["tokens_used"]
        return result

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing tokens_used"):
        await client.spawn_mob_helper(
            "mob-1", "help", result_label="result", max_text_bytes=4096
        )
    with pytest.raises(MeerkatError, match="missing tokens_used"):
        await client.fork_mob_helper(
            "mob-1",
            "agent-a",
            "help",
            result_label="result",
            max_text_bytes=4096,
        )


@pytest.mark.asyncio
async def test_mob_helper_wrappers_reject_fractional_negative_tokens_used():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        # tokens_used is a wire u64: a fractional/negative number can never be
        # a valid value, so the SDK fails closed instead of accepting any
        # finite number.
        return _exact_helper_result("mob-1", "helper-a", tokens_used=-3.5)

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(
        MeerkatError, match="tokens_used must be a non-negative integer"
    ):
        await client.spawn_mob_helper(
            "mob-1", "help", result_label="result", max_text_bytes=4096
        )
    with pytest.raises(
        MeerkatError, match="tokens_used must be a non-negative integer"
    ):
        await client.fork_mob_helper(
            "mob-1",
            "agent-a",
            "help",
            result_label="result",
            max_text_bytes=4096,
        )


@pytest.mark.asyncio
async def test_mob_helper_exact_result_contract_and_bounds() -> None:
    client = MeerkatClient()
    calls: list[tuple[str, dict]] = []

    async def fake_request(method, params):
        calls.append((method, params))
        identity = "spawn-a" if method == "mob/spawn_helper" else "fork-a"
        result = _exact_helper_result(
            params["mob_id"],
            identity,
            output="exact output",
            tokens_used=7,
            result_label=params["result_label"],
            retirement_error="retirement deferred",
        )
        result["usage"].update(
            {"cache_creation_tokens": 2, "cache_read_tokens": 1}
        )
        result["turns"] = 3
        result["tool_calls"] = 2
        return result

    client._request = fake_request  # type: ignore[method-assign]
    spawned = await client.spawn_mob_helper(
        "mob-1",
        "help",
        result_label="spawn_result",
        max_text_bytes=4096,
        agent_identity="spawn-a",
    )
    forked = await client.fork_mob_helper(
        "mob-1",
        "source-a",
        "review",
        result_label="fork_result",
        max_text_bytes=2048,
        agent_identity="fork-a",
    )

    for result, label, identity in (
        (spawned, "spawn_result", "spawn-a"),
        (forked, "fork_result", "fork-a"),
    ):
        assert result == {
            "output": "exact output",
            "tokens_used": 7,
            "agent_identity": identity,
            "member_ref": _make_member_ref("mob-1", identity),
            "bounded_result": {
                "label": label,
                "status": "completed",
                "text": "exact output",
            },
            "session_id": f"session-{identity}",
            "usage": Usage(
                input_tokens=3,
                output_tokens=7,
                cache_creation_tokens=2,
                cache_read_tokens=1,
            ),
            "turns": 3,
            "tool_calls": 2,
            "retirement_error": "retirement deferred",
        }

    assert calls[0][1]["result_label"] == "spawn_result"
    assert calls[0][1]["max_text_bytes"] == 4096
    assert calls[1][1]["result_label"] == "fork_result"
    assert calls[1][1]["max_text_bytes"] == 2048


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "missing_field",
    [
        "output",
        "tokens_used",
        "agent_identity",
        "member_ref",
        "bounded_result",
        "session_id",
        "usage",
        "turns",
        "tool_calls",
    ],
)
async def test_mob_helper_results_require_every_exact_field(
    missing_field: str,
) -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        result = _exact_helper_result("mob-1", "helper-a")
        del result[missing_field]
        return result

    client._request = fake_request  # type: ignore[method-assign]
    with pytest.raises(MeerkatError) as excinfo:
        await client.spawn_mob_helper(
            "mob-1",
            "help",
            result_label="helper_result",
            max_text_bytes=4096,
        )
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert missing_field in str(excinfo.value)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("mutate", "error_match"),
    [
        (lambda value: value.__setitem__("output", None), "missing output"),
        (
            lambda value: value.__setitem__("bounded_result", "legacy text"),
            "missing bounded_result",
        ),
        (
            lambda value: value["bounded_result"].__setitem__("status", "done"),
            "unsupported bounded_result status",
        ),
        (
            lambda value: value["bounded_result"].__setitem__("text", None),
            "missing text",
        ),
        (lambda value: value.__setitem__("session_id", ""), "missing session_id"),
        (
            lambda value: value["usage"].__setitem__("input_tokens", 1.5),
            "usage.input_tokens must be a non-negative integer",
        ),
        (
            lambda value: value.__setitem__("turns", -1),
            "turns must be a non-negative integer",
        ),
        (
            lambda value: value.__setitem__("tool_calls", True),
            "tool_calls must be number",
        ),
        (
            lambda value: value.__setitem__("retirement_error", 7),
            "missing retirement_error",
        ),
    ],
)
async def test_mob_helper_results_reject_malformed_exact_fields(
    mutate,
    error_match: str,
) -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        result = _exact_helper_result("mob-1", "helper-a")
        mutate(result)
        return result

    client._request = fake_request  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match=error_match) as excinfo:
        await client.fork_mob_helper(
            "mob-1",
            "source-a",
            "help",
            result_label="helper_result",
            max_text_bytes=4096,
        )
    assert excinfo.value.code == "INVALID_RESPONSE"


def test_mob_helper_types_require_exact_contract_fields() -> None:
    from meerkat.generated.types import (
        MobForkHelperParams,
        MobHelperResult as GeneratedMobHelperResult,
        MobSpawnHelperParams,
    )
    from meerkat.mob import (
        MobBoundedHelperResult as PublicMobBoundedHelperResult,
        MobHelperResult as PublicMobHelperResult,
    )

    spawn_fields = MobSpawnHelperParams.__dataclass_fields__
    fork_fields = MobForkHelperParams.__dataclass_fields__
    generated_fields = GeneratedMobHelperResult.__dataclass_fields__
    assert {"result_label", "max_text_bytes"} <= spawn_fields.keys()
    assert {"result_label", "max_text_bytes"} <= fork_fields.keys()
    assert spawn_fields["result_label"].default is MISSING
    assert spawn_fields["max_text_bytes"].default is MISSING
    assert fork_fields["result_label"].default is MISSING
    assert fork_fields["max_text_bytes"].default is MISSING
    required_result_fields = {
        "output",
        "tokens_used",
        "agent_identity",
        "member_ref",
        "bounded_result",
        "session_id",
        "usage",
        "turns",
        "tool_calls",
    }
    assert required_result_fields <= generated_fields.keys()
    assert all(
        generated_fields[name].default is MISSING
        for name in required_result_fields
    )
    assert "retirement_error" in generated_fields
    assert generated_fields["retirement_error"].default is None
    assert get_type_hints(PublicMobBoundedHelperResult) == {
        "label": str,
        "status": Literal[
            "completed",
            "completed_truncated",
            "failed",
            "failed_truncated",
            "in_progress",
            "in_progress_truncated",
            "unavailable",
            "unavailable_truncated",
        ],
        "text": str,
    }
    assert PublicMobBoundedHelperResult.__required_keys__ == {
        "label",
        "status",
        "text",
    }
    assert PublicMobHelperResult.__required_keys__ == required_result_fields
    assert PublicMobHelperResult.__optional_keys__ == {"retirement_error"}


@pytest.mark.asyncio
async def test_mob_member_status_rejects_fractional_negative_tokens_used():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": -3.5,
            "is_final": False,
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(
        MeerkatError, match="tokens_used must be a non-negative integer"
    ):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_fractional_reachable_peer_count():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "peer_connectivity": {
                "status": "known",
                "snapshot": {
                    "reachable_peer_count": 1.5,
                    "unknown_peer_count": 0,
                    "unreachable_peers": [],
                },
            },
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(
        MeerkatError,
        match="reachable_peer_count must be a non-negative integer",
    ):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_negative_unknown_peer_count():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "peer_connectivity": {
                "status": "known",
                "snapshot": {
                    "reachable_peer_count": 1,
                    "unknown_peer_count": -1,
                    "unreachable_peers": [],
                },
            },
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(
        MeerkatError,
        match="unknown_peer_count must be a non-negative integer",
    ):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_non_string_unreachable_peer_reason():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "peer_connectivity": {
                "status": "known",
                "snapshot": {
                    "reachable_peer_count": 0,
                    "unknown_peer_count": 0,
                    "unreachable_peers": [{"peer": "agent-b", "reason": 42}],
                },
            },
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="reason must be string"):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_mob_member_status_rejects_non_dict_kickoff():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        # A present-but-non-object kickoff is a contract violation: the SDK
        # must fail closed rather than silently drop the field.
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "tokens_used": 5,
            "is_final": False,
            "kickoff": "pending",
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="kickoff must be object"):
        await client.mob_member_status("mob-1", "agent-a")


@pytest.mark.asyncio
async def test_wait_wrappers_reject_non_dict_kickoff():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "members": [
                {
                    "agent_identity": "lead",
                    "status": "active",
                    "tokens_used": 42,
                    "is_final": False,
                    "kickoff": "pending",
                }
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="kickoff must be object"):
        await client.wait_mob_kickoff("mob-1")
    with pytest.raises(MeerkatError, match="kickoff must be object"):
        await client.wait_mob_ready("mob-1")


@pytest.mark.asyncio
async def test_wait_wrappers_reject_fractional_negative_tokens_used():
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "members": [
                {
                    "agent_identity": "lead",
                    "status": "active",
                    "tokens_used": -3.5,
                    "is_final": False,
                }
            ]
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(
        MeerkatError, match="tokens_used must be a non-negative integer"
    ):
        await client.wait_mob_kickoff("mob-1")
    with pytest.raises(
        MeerkatError, match="tokens_used must be a non-negative integer"
    ):
        await client.wait_mob_ready("mob-1")


@pytest.mark.asyncio
async def test_mob_helper_and_respawn_paths_use_identity_native_receipts() -> None:
    client = MeerkatClient()
    calls: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        calls.append((method, params))
        if method == "mob/spawn_helper":
            return _exact_helper_result(
                "mob-1", "helper-a", result_label="spawn_result"
            )
        if method == "mob/fork_helper":
            return _exact_helper_result(
                "mob-1",
                "fork-a",
                output="forked",
                tokens_used=2,
                result_label="fork_result",
            )
        if method == "mob/respawn":
            return {
                "status": "completed",
                "receipt": {
                    "identity": "agent-a",
                    "member_ref": _make_member_ref("mob-1", "agent-a"),
                },
            }
        raise AssertionError(f"unexpected method {method}")

    client._request = fake_request  # type: ignore[method-assign]

    helper = await client.spawn_mob_helper(
        "mob-1",
        "help",
        result_label="spawn_result",
        max_text_bytes=4096,
        role_name="worker",
    )
    forked = await client.fork_mob_helper(
        "mob-1",
        "agent-a",
        "help",
        result_label="fork_result",
        max_text_bytes=2048,
        role_name="worker",
    )
    respawned = await client.respawn_mob_member("mob-1", "agent-a")

    # App-facing receipts expose only `member_ref`; binding-era
    # `agent_runtime_id` / `fence_token` / `previous_fence_token` are
    # retired per dogma #10.
    assert helper["agent_identity"] == "helper-a"
    assert helper["member_ref"] == _make_member_ref("mob-1", "helper-a")
    assert "agent_runtime_id" not in helper
    assert "fence_token" not in helper
    assert forked["agent_identity"] == "fork-a"
    assert forked["member_ref"] == _make_member_ref("mob-1", "fork-a")
    assert "agent_runtime_id" not in forked
    assert "fence_token" not in forked
    assert respawned["receipt"]["agent_identity"] == "agent-a"
    assert respawned["receipt"]["member_ref"] == _make_member_ref("mob-1", "agent-a")
    assert "agent_runtime_id" not in respawned["receipt"]
    assert "fence_token" not in respawned["receipt"]
    assert "previous_fence_token" not in respawned["receipt"]
    assert [method for method, _ in calls] == [
        "mob/spawn_helper",
        "mob/fork_helper",
        "mob/respawn",
    ]


@pytest.mark.asyncio
async def test_send_mob_member_content_uses_canonical_host_member_send_lane() -> None:
    client = MeerkatClient()
    calls: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        calls.append((method, params))
        return {
            "mob_id": "mob-1",
            "agent_identity": "agent-a",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "handling_mode": "steer",
        }

    client._request = fake_request  # type: ignore[method-assign]

    receipt = await client.send_mob_member_content(
        "mob-1",
        "agent-a",
        "hello reviewer",
        handling_mode="steer",
        render_metadata={"class": "peer_request", "salience": "urgent"},
    )

    assert receipt == {
        "mob_id": "mob-1",
        "agent_identity": "agent-a",
        "member_ref": _make_member_ref("mob-1", "agent-a"),
        "handling_mode": "steer",
    }
    assert calls == [
        (
            "mob/member_send",
            {
                "mob_id": "mob-1",
                "agent_identity": "agent-a",
                "content": "hello reviewer",
                "handling_mode": "steer",
                "render_metadata": {"class": "peer_request", "salience": "urgent"},
            },
        )
    ]


@pytest.mark.asyncio
async def test_send_mob_member_content_rejects_malformed_receipt() -> None:
    client = MeerkatClient()

    async def fake_request(
        _method: str, _params: dict[str, object]
    ) -> dict[str, object]:
        return {"handling_mode": "queue"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing member_ref"):
        await client.send_mob_member_content("mob-1", "agent-a", "hello reviewer")


@pytest.mark.asyncio
async def test_send_mob_member_content_rejects_missing_runtime_identity() -> None:
    client = MeerkatClient()

    async def fake_request(
        _method: str, _params: dict[str, object]
    ) -> dict[str, object]:
        return {
            "mob_id": "mob-1",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "handling_mode": "queue",
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing agent_identity"):
        await client.send_mob_member_content("mob-1", "agent-a", "hello reviewer")


@pytest.mark.asyncio
async def test_send_mob_member_content_rejects_missing_runtime_mob_id() -> None:
    client = MeerkatClient()

    async def fake_request(
        _method: str, _params: dict[str, object]
    ) -> dict[str, object]:
        return {
            "agent_identity": "agent-a",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "handling_mode": "queue",
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="missing mob_id"):
        await client.send_mob_member_content("mob-1", "agent-a", "hello reviewer")


@pytest.mark.asyncio
async def test_send_mob_member_content_rejects_mismatched_runtime_mob_id() -> None:
    client = MeerkatClient()

    async def fake_request(
        _method: str, _params: dict[str, object]
    ) -> dict[str, object]:
        return {
            "mob_id": "mob-2",
            "agent_identity": "agent-a",
            "member_ref": _make_member_ref("mob-1", "agent-a"),
            "handling_mode": "queue",
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="mob_id mismatch"):
        await client.send_mob_member_content("mob-1", "agent-a", "hello reviewer")


# ---------------------------------------------------------------------------
# CC5/CC6: typed live-adapter capability + continuity wire mirrors.
# ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_live_commit_input_rejects_unknown_response_modality():
    """The live helper boundary must not widen ``response_modality`` beyond
    the typed distinction the wire contract owns (``audio`` | ``text``).
    Arbitrary strings fail closed client-side instead of being tunneled into
    the generated union."""
    from meerkat import MeerkatClient

    client = MeerkatClient()
    with pytest.raises(MeerkatError) as exc_info:
        await client.live_commit_input("live_1", response_modality="speech")  # type: ignore[arg-type]
    assert exc_info.value.code == "INVALID_ARGS"


def test_generated_wire_live_channel_capabilities_exposes_typed_booleans():
    """CC5: SDK consumers must see typed access to every capability boolean.

    Closes the verifier finding that `LiveChannelCapabilities` was projected
    as `serde_json::Value` and SDKs got raw JSON. The regenerated dataclass
    must expose every field as a typed `bool` with snake_case names so
    static type checkers (pyright/mypy) catch typos at field access.
    """
    from dataclasses import fields

    from meerkat.types import WireLiveChannelCapabilities

    field_names = {f.name for f in fields(WireLiveChannelCapabilities)}
    assert field_names == {
        "audio_in",
        "audio_out",
        "text_in",
        "text_out",
        "image_in",
        "video_in",
        "transcript_supported",
        "barge_in_supported",
        "provider_native_resume",
    }
    for f in fields(WireLiveChannelCapabilities):
        assert f.type in {"bool", bool}, (
            f"WireLiveChannelCapabilities.{f.name} must be typed `bool`, got {f.type!r}"
        )


def test_generated_wire_live_channel_capabilities_constructs_for_gpt_realtime_2():
    """T8 + CC5: typed booleans represent `gpt-realtime-2` (image_in) and
    Gemini Live (video_in) without provider-specific fields."""
    from meerkat.types import WireLiveChannelCapabilities

    gpt_realtime_2 = WireLiveChannelCapabilities(
        audio_in=True,
        audio_out=True,
        text_in=True,
        text_out=True,
        image_in=True,
        video_in=False,
        transcript_supported=True,
        barge_in_supported=True,
        provider_native_resume=False,
    )
    gemini_live = WireLiveChannelCapabilities(
        audio_in=True,
        audio_out=True,
        text_in=True,
        text_out=True,
        image_in=False,
        video_in=True,
        transcript_supported=True,
        barge_in_supported=True,
        provider_native_resume=False,
    )
    # Typed access at the Python attribute level — closes the SDK boundary
    # for CC5.
    assert gpt_realtime_2.image_in is True
    assert gpt_realtime_2.video_in is False
    assert gemini_live.image_in is False
    assert gemini_live.video_in is True


def test_generated_wire_live_continuity_mode_is_tagged_union():
    """CC6: SDK consumers must see a tagged-union shape on `mode`.

    Each variant is a TypedDict with `mode: Literal[...]` so mypy/pyright
    can narrow on the discriminator. The `provider_native_resume` variant
    additionally carries `provider_session_id: str`.
    """
    from typing import Literal, get_args, get_type_hints

    from meerkat.types import (
        WireLiveContinuityModeDegraded,
        WireLiveContinuityModeFresh,
        WireLiveContinuityModeProviderNativeResume,
        WireLiveContinuityModeTranscriptOnly,
    )

    fresh_hints = get_type_hints(WireLiveContinuityModeFresh)
    assert get_args(fresh_hints["mode"]) == ("fresh",)

    transcript_hints = get_type_hints(WireLiveContinuityModeTranscriptOnly)
    assert get_args(transcript_hints["mode"]) == ("transcript_only",)

    degraded_hints = get_type_hints(WireLiveContinuityModeDegraded)
    assert get_args(degraded_hints["mode"]) == ("degraded",)

    resume_hints = get_type_hints(WireLiveContinuityModeProviderNativeResume)
    assert get_args(resume_hints["mode"]) == ("provider_native_resume",)
    # Payload field is typed `str`, not `Any` — closes the CC6 finding.
    assert resume_hints["provider_session_id"] is str


def test_generated_live_open_result_references_typed_capabilities_and_continuity():
    """CC5/CC6: `LiveOpenResult.capabilities` / `.continuity` are typed at
    the dataclass level — not erased to `Any` / `dict[str, Any]`.

    This is the verifier-facing acceptance test: SDK clients see typed
    access to image_in / video_in (via `WireLiveChannelCapabilities`) and
    can route on `result.continuity["mode"]` without parsing raw JSON.
    """
    from typing import get_type_hints

    from meerkat.types import (
        LiveOpenResult,
        WireLiveChannelCapabilities,
        WireLiveContinuityMode,
    )

    hints = get_type_hints(LiveOpenResult)
    assert hints["capabilities"] is WireLiveChannelCapabilities
    # `WireLiveContinuityMode` is a `Union[...]` alias; the dataclass field
    # type must be exactly this alias, not `Any`.
    assert hints["continuity"] == WireLiveContinuityMode


def test_generated_live_send_input_params_chunk_is_typed_union():
    """R5-10: `LiveSendInputParams.chunk` is the typed `LiveInputChunkWire`
    union, not opaque `dict[str, Any]`.

    Before R5-10, schema codegen erased `LiveInputChunkWire` at the
    `LiveSendInputParams.chunk` boundary and emitted `chunk: dict[str, Any]`.
    The fix promotes `LiveInputChunkWire` into the codegen lookup root so
    the `LiveSendInputParams` dataclass references the typed union by name.
    """
    from dataclasses import fields
    from typing import get_type_hints

    from meerkat.types import (
        LiveInputChunkWire,
        LiveInputChunkWireAudio,
        LiveInputChunkWireImage,
        LiveInputChunkWireText,
        LiveInputChunkWireVideoFrame,
        LiveSendInputParams,
    )

    hints = get_type_hints(LiveSendInputParams)
    # The `chunk` field is exactly the `LiveInputChunkWire` union — not
    # `dict[str, Any]` and not `Any`.
    assert hints["chunk"] == LiveInputChunkWire

    field_names = {f.name for f in fields(LiveSendInputParams)}
    assert field_names == {"channel_id", "chunk"}

    # All four typed variants must be constructible and assignable to the
    # `chunk` slot — proves the union is the discriminated `kind`-tagged
    # shape, not a structurally-empty placeholder.
    audio = LiveInputChunkWireAudio(
        kind="audio", data="AQID", sample_rate_hz=24_000, channels=1
    )
    text = LiveInputChunkWireText(kind="text", text="hello")
    image = LiveInputChunkWireImage(
        kind="image",
        idempotency_key="image-turn-1",
        mime="image/png",
        data="iVBORw0KGgo=",
    )
    video_frame = LiveInputChunkWireVideoFrame(
        kind="video_frame", codec="vp8", data="AQID", timestamp_ms=1_234
    )

    for chunk in (audio, text, image, video_frame):
        params = LiveSendInputParams(channel_id="live_1", chunk=chunk)
        assert params.channel_id == "live_1"
        assert params.chunk is chunk


@pytest.mark.asyncio
async def test_live_send_input_image_forwards_required_idempotency_key():
    client = MeerkatClient()

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        assert method == "live/send_input"
        assert params == {
            "channel_id": "live_1",
            "chunk": {
                "kind": "image",
                "idempotency_key": "image-turn-1",
                "mime": "image/png",
                "data": "iVBORw0KGgo=",
            },
        }
        return {"status": "sent"}

    client._request = fake_request  # type: ignore[method-assign]

    result = await client.live_send_input_image(
        "live_1", "image-turn-1", "image/png", "iVBORw0KGgo="
    )
    assert result == {"status": "sent"}


def test_generated_wire_live_adapter_observation_is_typed_union():
    """FIX-SDK-OBS: `WireLiveAdapterObservation` is a discriminated
    union over the `observation` tag — not opaque `dict[str, Any]`.

    Closes the verifier gap that left R5-4 identity fields (`item_id`,
    `response_id`, `content_index` on `assistant_audio_chunk`) and the
    R5-9 `command_rejected` typed channel-survives error invisible at
    the SDK boundary. Browser/Python clients can now type-narrow on the
    `observation` discriminator and read the typed payload fields with
    static-checker support.
    """
    from typing import get_args, get_type_hints

    from meerkat.types import (
        WireLiveAdapterErrorCode,
        WireLiveAdapterObservation,
        WireLiveAdapterObservationAssistantAudioChunk,
        WireLiveAdapterObservationCommandRejected,
        WireLiveAdapterObservationError,
        WireLiveAdapterObservationReady,
        WireLiveAdapterObservationStatusChanged,
        WireLiveAdapterObservationTurnInterrupted,
        WireLiveAdapterObservationUserContentCommitted,
    )

    # The union must include every variant the adapter can emit.
    union_members = set(get_args(WireLiveAdapterObservation))
    assert WireLiveAdapterObservationReady in union_members
    assert WireLiveAdapterObservationAssistantAudioChunk in union_members
    assert WireLiveAdapterObservationCommandRejected in union_members
    assert WireLiveAdapterObservationError in union_members
    assert WireLiveAdapterObservationStatusChanged in union_members
    assert WireLiveAdapterObservationTurnInterrupted in union_members
    assert WireLiveAdapterObservationUserContentCommitted in union_members
    # Sanity: each variant is tagged on `observation` with the snake_case
    # discriminator value.
    audio_hints = get_type_hints(WireLiveAdapterObservationAssistantAudioChunk)
    assert get_args(audio_hints["observation"]) == ("assistant_audio_chunk",)
    rejected_hints = get_type_hints(WireLiveAdapterObservationCommandRejected)
    assert get_args(rejected_hints["observation"]) == ("command_rejected",)
    receipt_hints = get_type_hints(WireLiveAdapterObservationUserContentCommitted)
    assert receipt_hints["idempotency_key"] is str
    # R5-4: identity fields are visible (typed Optional[str] / int) at
    # the SDK boundary so browser clients can drive `live/truncate`.
    assert "item_id" in audio_hints
    assert "response_id" in audio_hints
    assert "content_index" in audio_hints
    # R5-9: typed `code` field on the rejection variant — not a free-form
    # blob.
    assert rejected_hints["code"] == WireLiveAdapterErrorCode


def test_live_image_receipt_and_rejections_are_publicly_reexported():
    from meerkat import (
        LiveSendInputErrorData as RootSendInputErrorData,
        WireLiveAdapterObservationUserContentCommitted as RootReceipt,
        WireLiveConfigRejectionReasonImageInputContentMismatch as RootContentMismatch,
        WireLiveConfigRejectionReasonImageInputInvalidBase64 as RootInvalidBase64,
        WireLiveConfigRejectionReasonImageInputBackpressured as RootBackpressured,
        WireLiveConfigRejectionReasonImageInputIdempotencyConflict as RootConflict,
        WireLiveConfigRejectionReasonImageInputIdempotencyKeyInvalid as RootInvalidKey,
        WireLiveConfigRejectionReasonImageInputRequiresCommit as RootRequiresCommit,
        WireLiveConfigRejectionReasonImageInputTooLarge as RootTooLarge,
        WireLiveConfigRejectionReasonImageInputTransportUnsupported as RootTransportUnsupported,
        WireLiveConfigRejectionReasonImageInputUnsupportedMime as RootUnsupportedMime,
        WireLiveConfigRejectionReasonRefreshTranscriptRewriteRequiresReopen as RootRewriteRequiresReopen,
        WireLiveConfigRejectionReasonInputBackpressured as RootInputBackpressured,
        WireLiveConfigRejectionReasonInputTooLarge as RootInputTooLarge,
    )
    from meerkat.types import (
        LiveSendInputErrorData as PublicSendInputErrorData,
        WireLiveAdapterObservationUserContentCommitted as PublicReceipt,
        WireLiveConfigRejectionReasonImageInputContentMismatch as PublicContentMismatch,
        WireLiveConfigRejectionReasonImageInputInvalidBase64 as PublicInvalidBase64,
        WireLiveConfigRejectionReasonImageInputBackpressured as PublicBackpressured,
        WireLiveConfigRejectionReasonImageInputIdempotencyConflict as PublicConflict,
        WireLiveConfigRejectionReasonImageInputIdempotencyKeyInvalid as PublicInvalidKey,
        WireLiveConfigRejectionReasonImageInputRequiresCommit as PublicRequiresCommit,
        WireLiveConfigRejectionReasonImageInputTooLarge as PublicTooLarge,
        WireLiveConfigRejectionReasonImageInputTransportUnsupported as PublicTransportUnsupported,
        WireLiveConfigRejectionReasonImageInputUnsupportedMime as PublicUnsupportedMime,
        WireLiveConfigRejectionReasonRefreshTranscriptRewriteRequiresReopen as PublicRewriteRequiresReopen,
        WireLiveConfigRejectionReasonInputBackpressured as PublicInputBackpressured,
        WireLiveConfigRejectionReasonInputTooLarge as PublicInputTooLarge,
    )

    assert RootSendInputErrorData is PublicSendInputErrorData
    assert RootReceipt is PublicReceipt
    assert RootUnsupportedMime is PublicUnsupportedMime
    assert RootContentMismatch is PublicContentMismatch
    assert RootInvalidBase64 is PublicInvalidBase64
    assert RootTooLarge is PublicTooLarge
    assert RootBackpressured is PublicBackpressured
    assert RootInvalidKey is PublicInvalidKey
    assert RootConflict is PublicConflict
    assert RootRequiresCommit is PublicRequiresCommit
    assert RootTransportUnsupported is PublicTransportUnsupported
    assert RootInputTooLarge is PublicInputTooLarge
    assert RootInputBackpressured is PublicInputBackpressured
    assert RootRewriteRequiresReopen is PublicRewriteRequiresReopen

    receipt = RootReceipt(
        observation="user_content_committed",
        idempotency_key="image-turn-1",
        item_id="item_image",
        content_index=0,
        media_type="image/png",
    )
    unsupported = RootUnsupportedMime(
        kind="image_input_unsupported_mime", mime_type="image/gif"
    )
    mismatch = RootContentMismatch(
        kind="image_input_content_mismatch", mime_type="image/png"
    )
    invalid_base64 = RootInvalidBase64(kind="image_input_invalid_base64")
    too_large = RootTooLarge(
        kind="image_input_too_large", max_bytes=20, actual_bytes=21
    )
    backpressured = RootBackpressured(
        kind="image_input_backpressured", max_pending_bytes=40
    )
    invalid_key = RootInvalidKey(
        kind="image_input_idempotency_key_invalid", max_bytes=128, actual_bytes=129
    )
    conflict = RootConflict(kind="image_input_idempotency_conflict")
    requires_commit = RootRequiresCommit(kind="image_input_requires_commit")
    transport_unsupported = RootTransportUnsupported(
        kind="image_input_transport_unsupported", transport="webrtc_data_channel"
    )
    input_too_large = RootInputTooLarge(
        kind="input_too_large", max_bytes=256, actual_bytes=257
    )
    input_backpressured = RootInputBackpressured(
        kind="input_backpressured", max_pending_bytes=1024
    )
    error_data = RootSendInputErrorData(
        error_code={"code": "config_rejected", "reason": input_backpressured}
    )

    assert input_too_large["actual_bytes"] == 257
    assert error_data.error_code["reason"]["kind"] == "input_backpressured"

    assert receipt["item_id"] == "item_image"
    assert receipt["idempotency_key"] == "image-turn-1"
    assert unsupported["mime_type"] == "image/gif"
    assert mismatch["kind"] == "image_input_content_mismatch"
    assert invalid_base64["kind"] == "image_input_invalid_base64"
    assert too_large["actual_bytes"] > too_large["max_bytes"]
    assert backpressured["max_pending_bytes"] == 40
    assert invalid_key["actual_bytes"] > invalid_key["max_bytes"]
    assert conflict["kind"] == "image_input_idempotency_conflict"
    assert requires_commit["kind"] == "image_input_requires_commit"
    assert transport_unsupported["transport"] == "webrtc_data_channel"


def test_public_realtime_transcript_event_union_excludes_internal_user_content():
    from typing import get_args

    from meerkat import (
        RealtimeTranscriptEvent as RootEvent,
        RealtimeTranscriptEventAssistantTextDelta as RootAssistantTextDelta,
        RealtimeTranscriptEventItemObserved as RootItemObserved,
        RealtimeTranscriptEventUserTranscriptFinal as RootUserTranscriptFinal,
    )
    from meerkat.types import RealtimeTranscriptEvent as PublicEvent

    assert RootEvent == PublicEvent
    members = set(get_args(RootEvent))
    assert RootItemObserved in members
    assert RootUserTranscriptFinal in members
    assert RootAssistantTextDelta in members
    assert all("UserContentFinal" not in member.__name__ for member in members)


def test_generated_wire_assistant_block_variant_data_is_typed_typeddict():
    """R7-1 Python lift: each inline-object variant payload on
    ``WireAssistantBlock`` must surface as a named ``TypedDict`` — not as
    opaque ``dict[str, Any]`` — closing the TS/Python codegen asymmetry
    that R7-1+2 opened (TS already narrows the `data` shape to a typed
    structural object; Python now mirrors with a named TypedDict per
    variant payload).

    Pins both:

    * the *shape*: ``data`` on each variant references a per-variant
      ``WireAssistantBlock*Data`` TypedDict, with the same field set the
      TS path emits;
    * the *required/optional* discipline: e.g. ``WireTranscriptSource``
      is ``Required`` on ``WireAssistantBlockTranscriptData`` and
      ``meta`` is ``NotRequired`` (matches the JSON-schema `required`
      list and prevents regression to the pre-R7-1 opaque-dict shape).
    """
    from typing import get_type_hints

    from meerkat.generated.types import (
        WireAssistantBlockImage,
        WireAssistantBlockImageData,
        WireAssistantBlockReasoning,
        WireAssistantBlockReasoningData,
        WireAssistantBlockServerToolContent,
        WireAssistantBlockServerToolContentData,
        WireAssistantBlockText,
        WireAssistantBlockTextData,
        WireAssistantBlockToolUse,
        WireAssistantBlockToolUseData,
        WireAssistantBlockTranscript,
        WireAssistantBlockTranscriptData,
        WireTranscriptSource,
        WireTranscriptSourceSpoken,
        WireTranscriptSourceUnknown,
    )

    # Every typed-payload variant binds `data` to its named TypedDict —
    # NOT `dict[str, Any]`. The string check pins the typed reference so
    # a regression to the opaque shape fails this test loudly.
    variants_with_data = [
        (
            WireAssistantBlockText,
            WireAssistantBlockTextData,
            "WireAssistantBlockTextData",
        ),
        (
            WireAssistantBlockTranscript,
            WireAssistantBlockTranscriptData,
            "WireAssistantBlockTranscriptData",
        ),
        (
            WireAssistantBlockReasoning,
            WireAssistantBlockReasoningData,
            "WireAssistantBlockReasoningData",
        ),
        (
            WireAssistantBlockToolUse,
            WireAssistantBlockToolUseData,
            "WireAssistantBlockToolUseData",
        ),
        (
            WireAssistantBlockServerToolContent,
            WireAssistantBlockServerToolContentData,
            "WireAssistantBlockServerToolContentData",
        ),
        (
            WireAssistantBlockImage,
            WireAssistantBlockImageData,
            "WireAssistantBlockImageData",
        ),
    ]
    for variant_td, data_td, data_name in variants_with_data:
        hints = get_type_hints(variant_td, include_extras=True)
        assert "data" in hints, f"{variant_td.__name__} missing `data` field"
        rendered = str(hints["data"])
        assert data_name in rendered, (
            f"{variant_td.__name__}.data should reference {data_name}, got {rendered!r}"
        )
        assert "dict[str, Any]" not in rendered, (
            f"{variant_td.__name__}.data regressed to opaque dict[str, Any]"
        )

    # Field-level shape pinning on the Transcript payload (R7-1 closes
    # WireAssistantBlock::Transcript first; the rest follow the same
    # mechanical pattern).
    transcript_data_hints = get_type_hints(
        WireAssistantBlockTranscriptData, include_extras=True
    )
    assert "text" in transcript_data_hints
    assert "source" in transcript_data_hints
    assert "meta" in transcript_data_hints
    # `source` is typed against the discriminated `WireTranscriptSource`
    # union (a PEP-604 `Spoken | Unknown` alias). It must NOT be a
    # free-form dict — callers must be able to type-narrow on
    # `source["kind"]`. The annotation comes through as the unwrapped
    # union (TypedDict alias inlining), so we check by string contents.
    rendered_source = str(transcript_data_hints["source"])
    assert "WireTranscriptSourceSpoken" in rendered_source
    assert "WireTranscriptSourceUnknown" in rendered_source
    assert "dict[str, Any]" not in rendered_source
    # Reference `WireTranscriptSource` so the import isn't unused — the
    # union alias is the public name the SDK exports, even though the
    # resolved TypedDict annotation inlines its members.
    assert set(get_args(WireTranscriptSource)) == {
        WireTranscriptSourceSpoken,
        WireTranscriptSourceUnknown,
    }
    # Required/Optional discipline matches the JSON-schema `required`
    # list: `text` + `source` Required, `meta` NotRequired. Inspect raw
    # annotations because the generated TypedDict is declared with
    # `total=False` + explicit `Required[...]`/`NotRequired[...]`
    # wrappers — Python's runtime `__required_keys__` flips everything
    # to optional under `total=False`, so the source of truth for
    # required-ness is the annotation string itself.
    raw_annotations = WireAssistantBlockTranscriptData.__annotations__
    assert "Required" in str(raw_annotations["text"])
    assert "Required" in str(raw_annotations["source"])
    assert "NotRequired" in str(raw_annotations["meta"])
    # Constructing a typed value through the named TypedDict succeeds —
    # this is the ergonomic surface the R7-1 deferral note flagged.
    sample: WireAssistantBlockTranscriptData = {
        "text": "hello world",
        "source": {"kind": "spoken"},
    }
    assert sample["text"] == "hello world"


@pytest.mark.asyncio
async def test_client_live_refresh_returns_typed_result():
    """R4-5 (P3): `live_refresh` must return a typed
    :class:`LiveRefreshResult` carrying the typed ``status`` discriminator.

    The wire payload mirrors the server-side `handle_live_refresh` Ok arm:
    ``{"status": "queued"}`` (from `LiveRefreshResult::queued()`). The
    typed dataclass round-trips at the SDK boundary so callers route on
    the generated ``status``.
    """
    from meerkat.generated.types import LiveRefreshResult

    client = MeerkatClient()

    captured: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        captured.append((method, params))
        # Mirror exactly what `handle_live_refresh` ships on the wire after
        # host queue acceptance.
        return {"status": "queued"}

    client._request = fake_request  # type: ignore[method-assign]

    result = await client.live_refresh("live_channel_42")

    assert captured == [("live/refresh", {"channel_id": "live_channel_42"})]
    assert isinstance(result, LiveRefreshResult)
    # Typed routing surface.
    assert result.status == "queued"


@pytest.mark.asyncio
async def test_client_live_refresh_rejects_missing_or_unknown_generated_status():
    malformed_responses = [
        {"refresh_enqueued": True},
        {"status": "applied_sync"},
    ]

    for response in malformed_responses:
        client = MeerkatClient()

        async def fake_request(method, params, response=response):
            assert method == "live/refresh"
            return response

        client._request = fake_request  # type: ignore[method-assign]

        with pytest.raises(MeerkatError, match="Invalid live/refresh response"):
            await client.live_refresh("live_channel_43")


@pytest.mark.asyncio
async def test_client_live_close_returns_typed_result():
    from meerkat.generated.types import LiveCloseResult

    client = MeerkatClient()

    captured: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        captured.append((method, params))
        return {"status": "closed"}

    client._request = fake_request  # type: ignore[method-assign]

    result = await client.live_close("live_channel_44")

    assert captured == [("live/close", {"channel_id": "live_channel_44"})]
    assert isinstance(result, LiveCloseResult)
    assert result.status == "closed"


@pytest.mark.asyncio
async def test_client_live_close_rejects_missing_or_unknown_generated_status():
    malformed_responses = [
        {"closed": True},
        {"status": "already_closed"},
    ]

    for response in malformed_responses:
        client = MeerkatClient()

        async def fake_request(method, params, response=response):
            assert method == "live/close"
            return response

        client._request = fake_request  # type: ignore[method-assign]

        with pytest.raises(MeerkatError, match="Invalid live/close response"):
            await client.live_close("live_channel_45")


@pytest.mark.asyncio
async def test_client_live_open_omits_optional_open_parameters_when_default():
    """Optional open controls must elide when absent.

    The server treats omitted ``turning_mode`` as ``ProviderManaged`` and
    omitted ``seed_max_chars`` as the legacy full canonical seed.
    """
    client = MeerkatClient()

    captured: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        captured.append((method, params))
        return {
            "channel_id": "live_42",
            "transport": {"transport": "websocket", "url": "ws://x", "token": "t"},
            "capabilities": {
                "audio_in": True,
                "audio_out": True,
                "text_in": True,
                "text_out": True,
                "image_in": False,
                "video_in": False,
                "transcript_supported": True,
                "barge_in_supported": True,
                "provider_native_resume": False,
            },
            "continuity": {"mode": "fresh"},
        }

    client._request = fake_request  # type: ignore[method-assign]

    await client.live_open("session-42")

    assert captured == [("live/open", {"session_id": "session-42"})]
    assert "turning_mode" not in captured[0][1]
    assert "seed_max_chars" not in captured[0][1]


@pytest.mark.asyncio
async def test_client_live_open_passes_seed_max_chars():
    """The direct helper forwards the snake-case wire budget unchanged."""
    client = MeerkatClient()

    captured: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        captured.append((method, params))
        return {
            "channel_id": "live_seeded",
            "transport": {"transport": "websocket", "url": "ws://x", "token": "t"},
            "capabilities": {},
            "continuity": {"mode": "degraded"},
        }

    client._request = fake_request  # type: ignore[method-assign]

    await client.live_open("session-seeded", seed_max_chars=24_000)

    assert captured == [
        (
            "live/open",
            {"session_id": "session-seeded", "seed_max_chars": 24_000},
        )
    ]


@pytest.mark.asyncio
async def test_live_channel_passes_seed_max_chars_on_open():
    """The session-bound wrapper carries its camel-free Python option through."""
    from meerkat import LiveChannel

    client = MeerkatClient()
    captured: list[tuple[str, object, object, object]] = []

    async def fake_live_open(
        session_id,
        turning_mode=None,
        transport=None,
        seed_max_chars=None,
    ):
        captured.append((session_id, turning_mode, transport, seed_max_chars))
        return {
            "channel_id": "live_seeded",
            "transport": {"transport": "websocket", "url": "ws://x", "token": "t"},
            "capabilities": {},
            "continuity": {"mode": "degraded"},
        }

    client.live_open = fake_live_open  # type: ignore[method-assign]
    channel = LiveChannel.session(client, "session-seeded", seed_max_chars=12_000)

    result = await channel.open()

    assert captured == [("session-seeded", None, None, 12_000)]
    assert channel.channel_id == "live_seeded"
    assert result["continuity"] == {"mode": "degraded"}


@pytest.mark.asyncio
async def test_client_live_open_passes_explicit_commit_turning_mode():
    """R4-2 (P2): explicit-commit on the wire so the G9 typed text-only
    ``live_commit_input(response_modality="text")`` path is reachable.
    Without R4-2, the Python SDK had no path to open a channel in
    ``ExplicitCommit`` mode — callers saw the modality knob on
    ``live_commit_input`` but couldn't actually open in the matching
    turning mode.
    """
    client = MeerkatClient()

    captured: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        captured.append((method, params))
        return {
            "channel_id": "live_43",
            "transport": {"transport": "websocket", "url": "ws://x", "token": "t"},
            "capabilities": {
                "audio_in": True,
                "audio_out": True,
                "text_in": True,
                "text_out": True,
                "image_in": False,
                "video_in": False,
                "transcript_supported": True,
                "barge_in_supported": True,
                "provider_native_resume": False,
            },
            "continuity": {"mode": "fresh"},
        }

    client._request = fake_request  # type: ignore[method-assign]

    await client.live_open("session-43", turning_mode="explicit_commit")

    assert captured == [
        (
            "live/open",
            {"session_id": "session-43", "turning_mode": "explicit_commit"},
        )
    ]


@pytest.mark.asyncio
async def test_client_live_open_passes_provider_managed_turning_mode():
    """R4-2 (P2): explicit ``provider_managed`` matches the server-side
    default but lets callers pin the wire shape rather than relying on
    the omitted-field default. Useful for callers that want their request
    log to carry the explicit decision.
    """
    client = MeerkatClient()

    captured: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        captured.append((method, params))
        return {
            "channel_id": "live_44",
            "transport": {"transport": "websocket", "url": "ws://x", "token": "t"},
            "capabilities": {
                "audio_in": True,
                "audio_out": True,
                "text_in": True,
                "text_out": True,
                "image_in": False,
                "video_in": False,
                "transcript_supported": True,
                "barge_in_supported": True,
                "provider_native_resume": False,
            },
            "continuity": {"mode": "fresh"},
        }

    client._request = fake_request  # type: ignore[method-assign]

    await client.live_open("session-44", turning_mode="provider_managed")

    assert captured == [
        (
            "live/open",
            {"session_id": "session-44", "turning_mode": "provider_managed"},
        )
    ]


# ---------------------------------------------------------------------------
# Dogma row #88 — session fork SDK result parser must fail closed, not fabricate
# empty/zero handles from absent/malformed required wire fields.
# ---------------------------------------------------------------------------


def _fork_cache_available() -> dict[str, object]:
    return {
        "status": "available",
        "fork_point": {
            "message_count": 4,
            "authored_cache_breakpoint": {
                "provider": "openai",
                "model": "gpt-5.6-sol",
                "boundary": {
                    "kind": "transcript_after",
                    "message_count": 4,
                },
                "canonical_prefix_sha256": "sha256:canonical",
                "canonical_prefix_bytes": 512,
                "rendered_prefix_sha256": "sha256:rendered",
                "rendered_prefix_bytes": 480,
                "lowered_request_provenance": {
                    "provider": "openai",
                    "encoding": "open_ai_responses_json",
                    "body_sha256": [7] * 32,
                },
                "ttl": "provider_default",
            },
        },
    }


def _fork_cache_unavailable(message_count: int = 1) -> dict[str, object]:
    return {
        "status": "unavailable",
        "message_count": message_count,
        "reason": "no_authored_breakpoint_at_boundary",
    }


@pytest.mark.asyncio
async def test_fork_session_rejects_missing_session_id() -> None:
    """A session/fork response missing `session_id` raises INVALID_RESPONSE
    rather than returning a SessionForkResult with an empty handle."""
    client = MeerkatClient()

    async def fake_request(_method, _params):
        # source_session_id present but the required session_id is absent.
        return {"source_session_id": "src-1", "message_count": 3}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.fork_session_at("src-1", 0)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_fork_session_rejects_non_numeric_message_count() -> None:
    """A malformed (non-numeric) required `message_count` raises INVALID_RESPONSE
    instead of being coerced to zero."""
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "source_session_id": "src-1",
            "session_id": "fork-1",
            "message_count": "not-a-number",
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.fork_session_at("src-1", 0)
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_fork_session_parses_valid_result() -> None:
    """A well-formed fork response round-trips into a SessionForkResult."""
    from meerkat import ForkCacheInheritanceAvailable

    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {
            "source_session_id": "src-1",
            "session_id": "fork-1",
            "session_ref": None,
            "message_count": 7,
            "cache_inheritance": _fork_cache_available(),
        }

    client._request = fake_request  # type: ignore[method-assign]

    result = await client.fork_session_at("src-1", 0)
    assert result.source_session_id == "src-1"
    assert result.session_id == "fork-1"
    assert result.message_count == 7
    assert isinstance(result.cache_inheritance, ForkCacheInheritanceAvailable)
    assert result.cache_inheritance.status == "available"
    assert result.cache_inheritance.fork_point.message_count == 4
    assert (
        result.cache_inheritance.fork_point.authored_cache_breakpoint.boundary.kind
        == "transcript_after"
    )
    assert (
        result.cache_inheritance.fork_point.authored_cache_breakpoint
        .lowered_request_provenance.body_sha256
        == (7,) * 32
    )


def test_fork_session_parses_unavailable_cache_inheritance() -> None:
    from meerkat import ForkCacheInheritanceUnavailable

    result = MeerkatClient._parse_session_fork_result(
        {
            "source_session_id": "src-1",
            "session_id": "fork-1",
            "message_count": 3,
            "cache_inheritance": {
                "status": "unavailable",
                "message_count": 3,
                "reason": "provider_model_mismatch",
            },
        }
    )

    assert isinstance(result.cache_inheritance, ForkCacheInheritanceUnavailable)
    assert result.cache_inheritance.status == "unavailable"
    assert result.cache_inheritance.message_count == 3
    assert result.cache_inheritance.reason == "provider_model_mismatch"


def test_fork_session_rejects_missing_cache_inheritance() -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_fork_result(
            {
                "source_session_id": "src-1",
                "session_id": "fork-1",
                "message_count": 3,
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize(
    "cache_inheritance",
    [
        None,
        [],
        "available",
        {"status": "unknown"},
        {"status": "available", "fork_point": {}},
        {"status": "unavailable", "message_count": 3, "reason": "unknown"},
    ],
)
def test_fork_session_rejects_malformed_cache_inheritance(
    cache_inheritance: object,
) -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_fork_result(
            {
                "source_session_id": "src-1",
                "session_id": "fork-1",
                "message_count": 3,
                "cache_inheritance": cache_inheritance,
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("session_ref", [1, False, {}, []])
def test_fork_session_rejects_non_string_non_null_session_ref(
    session_ref: object,
) -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_fork_result(
            {
                "source_session_id": "src-1",
                "session_id": "fork-1",
                "session_ref": session_ref,
                "message_count": 7,
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("raw", [None, [], 1, "fork"])
def test_fork_session_rejects_non_object_result(raw: object) -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_fork_result(raw)
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.parametrize("message_count", [-1, 1.5, True])
def test_fork_session_rejects_non_unsigned_message_count(
    message_count: object,
) -> None:
    with pytest.raises(MeerkatError) as exc_info:
        MeerkatClient._parse_session_fork_result(
            {
                "source_session_id": "src-1",
                "session_id": "fork-1",
                "message_count": message_count,
            }
        )
    assert exc_info.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_deferred_session_forks_forward_tool_access_policy() -> None:
    client = MeerkatClient()
    calls: list[tuple[str, dict[str, object]]] = []

    async def fake_request(method, params):
        calls.append((method, params))
        return {
            "source_session_id": "src-1",
            "session_id": "fork-1",
            "message_count": 1,
            "cache_inheritance": _fork_cache_unavailable(),
        }

    client._request = fake_request  # type: ignore[method-assign]
    session = DeferredSession(client, "src-1")
    policy = {"type": "allow_list", "value": ["search"]}

    await session.fork_at(
        1,
        running_behavior="reject",
        tool_access_policy=policy,
    )
    await session.fork_replace(
        1,
        {
            "type": "user_content_block",
            "block_index": 0,
            "block": {"type": "text", "text": "replacement"},
        },
        tool_access_policy=policy,
    )

    assert calls == [
        (
            "session/fork_at",
            {
                "session_id": "src-1",
                "message_index": 1,
                "running_behavior": "reject",
                "tool_access_policy": policy,
            },
        ),
        (
            "session/fork_replace",
            {
                "session_id": "src-1",
                "message_index": 1,
                "replacement": {
                    "type": "user_content_block",
                    "block_index": 0,
                    "block": {"type": "text", "text": "replacement"},
                },
                "tool_access_policy": policy,
            },
        ),
    ]


# ---------------------------------------------------------------------------
# Dogma row #127 — WorkGraph list helpers must fail closed on a present-but-non-
# list collection rather than collapsing a malformed envelope to empty success.
# ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_list_workgraph_items_rejects_non_list_items() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        # `items` present but not a list — a contract violation.
        return {"items": "oops"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.list_workgraph_items({"realm_id": "homecore"})
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_ready_workgraph_items_rejects_non_list_items() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"items": {"not": "a list"}}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.list_ready_workgraph_items({"realm_id": "homecore"})
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_workgraph_events_rejects_non_list_events() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"events": 42}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.list_workgraph_events({"realm_id": "homecore"})
    assert excinfo.value.code == "INVALID_RESPONSE"


# ---------------------------------------------------------------------------
# K21 — generated fail-closed workgraph parsers: malformed entries and
# mistyped fields raise instead of being passed through as raw dicts.
# ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_list_workgraph_items_rejects_malformed_entry() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        # Entry missing the machine-owned lifecycle truth (`status`,
        # `machine_state`) — a contract violation, not an empty item.
        return {"items": [{"id": "only-an-id"}]}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.list_workgraph_items({"realm_id": "homecore"})
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_get_workgraph_item_rejects_invalid_status_enum() -> None:
    client = MeerkatClient()
    timestamp = "2026-05-12T12:00:00Z"

    async def fake_request(_method, _params):
        return {
            "id": "i1",
            "realm_id": "r",
            "namespace": "n",
            "title": "t",
            "status": "not_a_status",
            "priority": "high",
            "completion_policy": {"kind": "self_attest"},
            "cancelled_child_join_policy": "require_success",
            "failed_child_join_policy": "require_success",
            "revision": 1,
            "machine_state": {},
            "created_at": timestamp,
            "updated_at": timestamp,
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.get_workgraph_item("i1")
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "status" in str(excinfo.value)


@pytest.mark.asyncio
async def test_get_workgraph_item_requires_typed_claim_owner() -> None:
    client = MeerkatClient()
    timestamp = "2026-05-12T12:00:00Z"

    async def fake_request(_method, _params):
        return {
            "id": "i1",
            "realm_id": "r",
            "namespace": "n",
            "title": "t",
            "status": "in_progress",
            "priority": "high",
            "completion_policy": {"kind": "self_attest"},
            "cancelled_child_join_policy": "require_success",
            "failed_child_join_policy": "require_success",
            "revision": 1,
            "machine_state": {},
            "created_at": timestamp,
            "updated_at": timestamp,
            # Claim without its owner — attribution truth must not be
            # fabricated by the parser.
            "claim": {"claimed_at": timestamp},
        }

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.get_workgraph_item("i1")
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "owner" in str(excinfo.value)


@pytest.mark.asyncio
async def test_list_workgraph_attention_rejects_invalid_authority_enums() -> None:
    timestamp = "2026-05-12T12:00:00Z"
    binding = {
        "binding_id": "attn-1",
        "work_ref": {"realm_id": "r", "namespace": "n", "item_id": "i1"},
        "target": {"kind": "session", "session_id": "s1"},
        "mode": "pursue",
        "status": {"state": "active"},
        "delegated_authority": "request_closure",
        "created_at": timestamp,
        "updated_at": timestamp,
    }

    def client_for(entry):
        client = MeerkatClient()

        async def fake_request(_method, _params):
            return {"attention": [entry]}

        client._request = fake_request  # type: ignore[method-assign]
        return client

    with pytest.raises(MeerkatError) as excinfo:
        await client_for({**binding, "mode": "not_a_mode"}).list_workgraph_attention()
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "WorkAttentionMode" in str(excinfo.value)

    with pytest.raises(MeerkatError) as excinfo:
        await client_for(
            {**binding, "delegated_authority": "not_authority"}
        ).list_workgraph_attention()
    assert excinfo.value.code == "INVALID_RESPONSE"
    assert "AttentionDelegatedAuthority" in str(excinfo.value)


# ---------------------------------------------------------------------------
# Dogma row #136 — mob collection helpers must fail closed on a present-but-non-
# list outer collection rather than returning [].
# ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_read_mob_events_rejects_non_list_events() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"events": "not-a-list"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.read_mob_events("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_read_mob_events_rejects_missing_events() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.read_mob_events("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_read_mob_events_rejects_non_object_result() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return None

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.read_mob_events("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_wait_mob_ready_rejects_non_list_members() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"members": {"agent_identity": "lead"}}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.wait_mob_ready("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_wait_mob_kickoff_rejects_non_list_members() -> None:
    # Present-but-non-list `members` is a wire-contract violation: it must
    # raise INVALID_RESPONSE, never collapse to empty success.
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"members": {"agent_identity": "lead"}}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.wait_mob_kickoff("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_mob_members_rejects_non_list_members() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"members": "not-a-list"}

    client._request = fake_request  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.list_mob_members("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_mob_members_requires_canonical_identity_and_role() -> None:
    client = MeerkatClient()

    async def missing_identity(_method, _params):
        return {
            "members": [
                {
                    "member_ref": _make_member_ref("mob-1", "worker-1"),
                    "role": "worker",
                }
            ]
        }

    client._request = missing_identity  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing agent_identity") as excinfo:
        await client.list_mob_members("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"

    async def legacy_profile_alias(_method, _params):
        return {
            "members": [
                {
                    "agent_identity": "worker-1",
                    "member_ref": _make_member_ref("mob-1", "worker-1"),
                    "profile_name": "worker",
                }
            ]
        }

    client._request = legacy_profile_alias  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing role") as excinfo:
        await client.list_mob_members("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_mob_helper_results_require_canonical_agent_identity() -> None:
    client = MeerkatClient()

    async def missing_spawn_identity(method, _params):
        if method == "mob/spawn_helper":
            result = _exact_helper_result("mob-1", "helper-a")
            del result["agent_identity"]
            return result
        raise AssertionError(f"unexpected method {method}")

    client._request = missing_spawn_identity  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing agent_identity") as excinfo:
        await client.spawn_mob_helper(
            "mob-1",
            "help",
            result_label="result",
            max_text_bytes=4096,
            agent_identity="helper-a",
            role_name="worker",
        )
    assert excinfo.value.code == "INVALID_RESPONSE"

    async def missing_fork_identity(method, _params):
        if method == "mob/fork_helper":
            result = _exact_helper_result("mob-1", "fork-a")
            del result["agent_identity"]
            return result
        raise AssertionError(f"unexpected method {method}")

    client._request = missing_fork_identity  # type: ignore[method-assign]
    with pytest.raises(MeerkatError, match="missing agent_identity") as excinfo:
        await client.fork_mob_helper(
            "mob-1",
            "agent-a",
            "help",
            result_label="result",
            max_text_bytes=4096,
            agent_identity="fork-a",
            role_name="worker",
        )
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_helper_wrappers_forward_canonical_model_override() -> None:
    from meerkat.mob import Mob

    client = MeerkatClient()
    calls = []

    async def helper_result(method, params):
        calls.append((method, params))
        return _exact_helper_result(
            params["mob_id"],
            params.get("agent_identity") or "helper-a",
            result_label=params["result_label"],
        )

    client._request = helper_result  # type: ignore[method-assign]
    mob = Mob(client, "mob-1")
    await mob.spawn_helper(
        "help",
        result_label="spawn_result",
        max_text_bytes=4096,
        agent_identity="helper-a",
        model_override="gpt-5.6-sol",
    )
    await mob.fork_helper(
        "source-a",
        "review",
        result_label="fork_result",
        max_text_bytes=2048,
        agent_identity="fork-a",
        model_override="claude-opus-4-8",
    )

    assert calls[0][1]["model_override"] == "gpt-5.6-sol"
    assert calls[1][1]["model_override"] == "claude-opus-4-8"
    assert calls[0][1]["result_label"] == "spawn_result"
    assert calls[0][1]["max_text_bytes"] == 4096
    assert calls[1][1]["result_label"] == "fork_result"
    assert calls[1][1]["max_text_bytes"] == 2048


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "progress",
    [
        {"run_state": "idle"},
        {
            "run_state": "running",
            "in_flight_work": 0,
            "last_progress_at_ms": 1,
            "last_progress_event": "unchanged",
            "health": "healthy",
        },
        {
            "run_state": "idle",
            "in_flight_work": -1,
            "last_progress_at_ms": 1,
            "last_progress_event": "unchanged",
            "health": "healthy",
        },
        {
            "run_state": "idle",
            "in_flight_work": 0,
            "last_progress_at_ms": 1,
            "last_progress_event": "legacy",
            "health": "healthy",
        },
        {
            "run_state": "idle",
            "in_flight_work": 0,
            "last_progress_at_ms": 1,
            "last_progress_event": "unchanged",
            "health": "healthy",
            "legacy_health_state": "green",
        },
    ],
)
async def test_member_status_rejects_malformed_progress(progress) -> None:
    client = MeerkatClient()

    async def malformed(_method, _params):
        return {
            "status": "active",
            "member_ref": _make_member_ref("mob-1", "worker-1"),
            "tokens_used": 0,
            "is_final": False,
            "progress": progress,
        }

    client._request = malformed  # type: ignore[method-assign]
    with pytest.raises(MeerkatError) as excinfo:
        await client.mob_member_status("mob-1", "worker-1")
    assert excinfo.value.code == "INVALID_RESPONSE"


@pytest.mark.asyncio
async def test_list_mobs_rejects_non_list_mobs() -> None:
    client = MeerkatClient()

    async def fake_request(_method, _params):
        return {"mobs": {"mob_id": "mob-1"}}

    client._request = fake_request  # type: ignore[method-assign]
    client.require_capability = lambda _cap: None  # type: ignore[method-assign]

    with pytest.raises(MeerkatError) as excinfo:
        await client.list_mobs()
    assert excinfo.value.code == "INVALID_RESPONSE"


# ---------------------------------------------------------------------------
# Dogma row #55 — callback tool handlers may return a typed ContentBlock list,
# which must be delivered to the runtime as structured blocks rather than being
# coerced to a stringified blob.
# ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_tool_registry_passes_through_content_block_list() -> None:
    from meerkat.tools import ToolRegistry

    registry = ToolRegistry()

    blocks = [
        {"type": "text", "text": "hello"},
        {
            "type": "image",
            "media_type": "image/png",
            "source": "inline",
            "data": "AAAA",
        },
    ]

    async def handler(_arguments):
        return blocks

    registry.register("multimodal", handler)

    content, is_error = await registry.handle("multimodal", {})
    assert is_error is False
    # The block list round-trips faithfully — NOT stringified.
    assert content == blocks
    assert isinstance(content, list)


@pytest.mark.asyncio
async def test_tool_registry_keeps_string_results_as_strings() -> None:
    from meerkat.tools import ToolRegistry

    registry = ToolRegistry()

    async def handler(_arguments):
        return "plain text result"

    registry.register("text", handler)

    content, is_error = await registry.handle("text", {})
    assert is_error is False
    assert content == "plain text result"


@pytest.mark.asyncio
async def test_mob_collection_helpers_raise_on_malformed_entries() -> None:
    # Malformed collection entries are contract violations and must raise
    # INVALID_RESPONSE — never be silently skipped into an empty/partial
    # success (Terminal-Truth: absence of members is a different fact than
    # malformed members).
    client = MeerkatClient()

    async def fake_request(method: str, params: dict[str, object]) -> dict[str, object]:
        return {"members": ["not-an-object"]}

    client._request = fake_request  # type: ignore[method-assign]
    client.require_capability = lambda _cap: None  # type: ignore[method-assign]

    with pytest.raises(MeerkatError, match="must be an object") as excinfo:
        await client.list_mob_members("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError, match="must be an object") as excinfo:
        await client.wait_mob_kickoff("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"

    with pytest.raises(MeerkatError, match="must be an object") as excinfo:
        await client.wait_mob_ready("mob-1")
    assert excinfo.value.code == "INVALID_RESPONSE"

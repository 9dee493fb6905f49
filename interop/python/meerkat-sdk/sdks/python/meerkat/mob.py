from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from .generated.types import (
    BridgeLiveControlOutcome,
    BridgeLiveControlVerb,
    LiveCloseResult,
    LiveOpenResult,
    LiveStatusResult,
    MobBindHostResult,
    MobHostStatus,
    MobMemberHistoryResult,
    MobAdoptMemberIdentityDeclarationParams,
    MobRevokeHostResult,
    MobRouteInstallsResult,
    MobSpawnManyResult,
    MobWireMembersBatchEdge,
    MobWireMembersBatchResult,
    RealtimeTurningMode,
    WireAuthBindingRef,
    WireContentInput,
    WireHostRef,
    WireHostBindingDescriptor,
    WireIdentityConvergenceMode,
    WireMemberLaunchMode,
    WireMemberToolDeclaration,
    WireMobBackendKind,
    WireMobProfile,
    WireMobRuntimeMode,
    WireNonPortableResourceKind,
    WireReachability,
    WireRuntimeBinding,
    WireToolAccessPolicy,
    WireToolFilter,
    WireMemberProgressSnapshot,
)
from .streaming import EventSubscription
from .types import (
    MobControlScope,
    MobGrantRecord,
    MobMemberLiveTransport,
    ResolvedModelCapabilities,
    Usage,
)

MobLifecycleAction = Literal["stop", "resume", "complete", "reset", "destroy"]

WorkOrigin = Literal["external", "internal"]

MobWireMembersBatchEdgeInput = (
    tuple[str, str] | list[str] | dict[str, Any] | MobWireMembersBatchEdge
)

# Opaque server-resolved handle for a mob member. App code treats this as
# a transparent token — obtained from `ensure_member`/`spawn_helper`/
# `fork_helper`/member-list responses, passed back on work-lane and
# member-targeted calls.
MobMemberRef = str

RenderClass = Literal[
    "user_prompt",
    "peer_message",
    "peer_request",
    "peer_response",
    "external_event",
    "flow_step",
    "continuation",
    "system_notice",
    "tool_scope_notice",
    "ops_progress",
]
RenderSalience = Literal["background", "normal", "important", "urgent"]
RenderMetadata = TypedDict(
    "RenderMetadata",
    {"class": RenderClass, "salience": NotRequired[RenderSalience]},
)

MemberDeliveryReceipt = TypedDict(
    "MemberDeliveryReceipt",
    {
        "mob_id": str,
        "agent_identity": str,
        "member_ref": MobMemberRef,
        "handling_mode": Literal["queue", "steer"],
    },
)

MemberRespawnReceipt = TypedDict(
    "MemberRespawnReceipt",
    {
        "agent_identity": str,
        "member_ref": MobMemberRef,
    },
)

MobSpawnResult = TypedDict(
    "MobSpawnResult",
    {
        "mob_id": str,
        "agent_identity": str,
        "member_ref": MobMemberRef,
    },
)

MobRespawnResult = TypedDict(
    "MobRespawnResult",
    {
        "status": Literal["completed", "topology_restore_failed"],
        "receipt": MemberRespawnReceipt,
        "failed_peer_ids": NotRequired[list[str]],
    },
)

MobUnreachablePeer = TypedDict(
    "MobUnreachablePeer",
    {
        "peer": str,
        "reason": NotRequired[str],
    },
)

MobPeerConnectivitySnapshot = TypedDict(
    "MobPeerConnectivitySnapshot",
    {
        "reachable_peer_count": int,
        "unknown_peer_count": int,
        "unreachable_peers": list[MobUnreachablePeer],
    },
)

MobPeerConnectivityNotApplicable = TypedDict(
    "MobPeerConnectivityNotApplicable",
    {"status": Literal["not_applicable"]},
)

MobPeerConnectivityProbeTimedOut = TypedDict(
    "MobPeerConnectivityProbeTimedOut",
    {"status": Literal["probe_timed_out"]},
)

MobPeerConnectivityKnown = TypedDict(
    "MobPeerConnectivityKnown",
    {
        "status": Literal["known"],
        "snapshot": MobPeerConnectivitySnapshot,
    },
)

# Tri-state peer-connectivity projection for a mob member snapshot.
# Distinguishes a member with no bridge session (`not_applicable`) from a
# transiently-unresolved live probe (`probe_timed_out`) from a resolved
# connectivity snapshot (`known`).
MobPeerConnectivity = (
    MobPeerConnectivityNotApplicable
    | MobPeerConnectivityProbeTimedOut
    | MobPeerConnectivityKnown
)

MobMemberLifecycleCapabilities = TypedDict(
    "MobMemberLifecycleCapabilities",
    {
        "transcript_edits": bool,
        "revisions": bool,
        "resume_after_restart": bool,
    },
)

MobMemberSnapshot = TypedDict(
    "MobMemberSnapshot",
    {
        "status": str,
        # Server-resolved opaque handle for subsequent member-targeted calls.
        "member_ref": MobMemberRef,
        "output_preview": NotRequired[str],
        "error": NotRequired[str],
        "tokens_used": int,
        "is_final": bool,
        "resolved_capabilities": NotRequired[ResolvedModelCapabilities],
        "peer_connectivity": NotRequired[MobPeerConnectivity],
        "kickoff": NotRequired[dict[str, Any]],
        "external_member": NotRequired[Any],
        # Diagnostic bridge-session id for status/continuity only.
        "current_session_id": NotRequired[str],
        "progress": NotRequired[WireMemberProgressSnapshot],
        # None/absence means the controlling host.
        "placement": NotRequired[WireHostRef],
        "control_reachability": NotRequired[WireReachability],
        "comms_reachability": NotRequired[WireReachability],
        "last_seen_ms": NotRequired[int],
        "freshness_reason": NotRequired[str],
        "lifecycle_capabilities": NotRequired[MobMemberLifecycleCapabilities],
        "non_portable_disabled": NotRequired[list[WireNonPortableResourceKind]],
    },
)

# Member snapshot carried by the `mob/wait_kickoff` / `mob/wait_ready`
# member lists. The wait wire carries no `member_ref`, so this stays a
# separate shape from `MobMemberSnapshot`.
MobKickoffMemberSnapshot = TypedDict(
    "MobKickoffMemberSnapshot",
    {
        "agent_identity": str,
        "status": str,
        "output_preview": NotRequired[str],
        "error": NotRequired[str],
        "tokens_used": int,
        "is_final": bool,
        "peer_connectivity": NotRequired[MobPeerConnectivity],
        "kickoff": NotRequired[dict[str, Any]],
    },
)

MobReadyMemberSnapshot = MobKickoffMemberSnapshot

MobBoundedHelperResultStatus = Literal[
    "completed",
    "completed_truncated",
    "failed",
    "failed_truncated",
    "in_progress",
    "in_progress_truncated",
    "unavailable",
    "unavailable_truncated",
]

MobBoundedHelperResult = TypedDict(
    "MobBoundedHelperResult",
    {
        "label": str,
        "status": MobBoundedHelperResultStatus,
        "text": str,
    },
)

MobHelperResult = TypedDict(
    "MobHelperResult",
    {
        "output": str,
        "tokens_used": int,
        "agent_identity": str,
        "member_ref": MobMemberRef,
        "bounded_result": MobBoundedHelperResult,
        "session_id": str,
        "usage": Usage,
        "turns": int,
        "tool_calls": int,
        "retirement_error": NotRequired[str],
    },
)

MobMember = TypedDict(
    "MobMember",
    {
        "agent_identity": str,
        "member_ref": MobMemberRef,
        "profile": str,
        "peer_id": NotRequired[str],
        "external_peer_specs": NotRequired[dict[str, dict[str, Any]]],
        "runtime_mode": NotRequired[str],
        "wired_to": NotRequired[list[str]],
        "labels": NotRequired[dict[str, str]],
        "status": NotRequired[str],
        "error": NotRequired[str],
        "is_final": NotRequired[bool],
        "kickoff": NotRequired[dict[str, Any]],
    },
)

MobSpawnSpec = TypedDict(
    "MobSpawnSpec",
    {
        "profile": str,
        "agent_identity": str,
        "initial_message": NotRequired[WireContentInput | None],
        "runtime_mode": NotRequired[WireMobRuntimeMode | None],
        "backend": NotRequired[WireMobBackendKind | None],
        "labels": NotRequired[dict[str, str] | None],
        "context": NotRequired[dict[str, Any] | None],
        "additional_instructions": NotRequired[list[str] | None],
        "placement": NotRequired[WireHostRef | None],
        "auth_binding": NotRequired[WireAuthBindingRef | dict[str, str] | None],
        "model_override": NotRequired[str | None],
    },
)


class Member:
    """Capability-bearing mob member handle."""

    def __init__(self, mob: "Mob", agent_identity: str):
        self._mob = mob
        self.agent_identity = agent_identity

    async def send(
        self,
        content: str | list[dict[str, Any]],
        *,
        handling_mode: Literal["queue", "steer"] = "queue",
        render_metadata: RenderMetadata | None = None,
    ) -> MemberDeliveryReceipt:
        return await self._mob._client.send_mob_member_content(
            self._mob.id,
            self.agent_identity,
            content,
            handling_mode=handling_mode,
            render_metadata=render_metadata,
        )

    async def events(self) -> EventSubscription:
        return await self._mob.subscribe_member_events(self.agent_identity)


class Mob:
    """First-class mob handle backed by explicit RPC methods."""

    def __init__(self, client: Any, mob_id: str):
        self._client = client
        self.id = mob_id

    async def status(self) -> dict[str, Any]:
        return await self._client.mob_status(self.id)

    async def members(self) -> list[MobMember]:
        return await self._client.list_mob_members(self.id)

    async def spawn(
        self,
        *,
        profile: str,
        agent_identity: str,
        initial_message: WireContentInput | None = None,
        runtime_mode: WireMobRuntimeMode | None = None,
        backend: WireMobBackendKind | None = None,
        labels: dict[str, str] | None = None,
        context: dict[str, Any] | None = None,
        additional_instructions: list[str] | None = None,
        placement: str | None = None,
        binding: WireRuntimeBinding | dict[str, Any] | None = None,
        shell_env: dict[str, str] | None = None,
        auto_wire_parent: bool | None = None,
        launch_mode: WireMemberLaunchMode | dict[str, Any] | None = None,
        tool_access_policy: WireToolAccessPolicy | dict[str, Any] | None = None,
        inherited_tool_filter: WireToolFilter | dict[str, list[str]] | None = None,
        override_profile: WireMobProfile | dict[str, Any] | None = None,
        model_override: str | None = None,
        auth_binding: WireAuthBindingRef | dict[str, str] | None = None,
    ) -> MobSpawnResult:
        return await self._client.spawn_mob_member(
            self.id,
            profile=profile,
            agent_identity=agent_identity,
            initial_message=initial_message,
            runtime_mode=runtime_mode,
            backend=backend,
            labels=labels,
            context=context,
            additional_instructions=additional_instructions,
            placement=placement,
            binding=binding,
            shell_env=shell_env,
            auto_wire_parent=auto_wire_parent,
            launch_mode=launch_mode,
            tool_access_policy=tool_access_policy,
            inherited_tool_filter=inherited_tool_filter,
            override_profile=override_profile,
            model_override=model_override,
            auth_binding=auth_binding,
        )

    async def spawn_many(
        self,
        specs: list[MobSpawnSpec],
    ) -> MobSpawnManyResult:
        return await self._client.spawn_mob_members(self.id, specs)

    async def read_events(
        self,
        *,
        after_cursor: int = 0,
        limit: int = 100,
    ) -> dict[str, list[dict[str, Any]]]:
        return await self._client.read_mob_events(
            self.id,
            after_cursor=after_cursor,
            limit=limit,
        )

    async def retire(self, agent_identity: str) -> None:
        await self._client.retire_mob_member(self.id, agent_identity)

    async def respawn(
        self,
        agent_identity: str,
        initial_message: str | list[dict[str, Any]] | None = None,
    ) -> MobRespawnResult:
        return await self._client.respawn_mob_member(self.id, agent_identity, initial_message)

    async def force_cancel(self, agent_identity: str) -> None:
        await self._client.force_cancel_mob_member(self.id, agent_identity)

    async def grant_scopes(
        self,
        principal: str,
        scopes: list[MobControlScope],
        *,
        expires_at_ms: int | None = None,
    ) -> MobGrantRecord:
        return await self._client.grant_mob_scopes(
            self.id, principal, scopes, expires_at_ms=expires_at_ms
        )

    async def revoke_scopes(
        self,
        principal: str,
        scopes: list[MobControlScope] | None = None,
    ) -> bool:
        return await self._client.revoke_mob_scopes(self.id, principal, scopes)

    async def grants(self) -> list[MobGrantRecord]:
        return await self._client.list_mob_grants(self.id)

    async def member_tool_declaration(
        self,
        agent_identity: str,
    ) -> dict[str, Any]:
        """Read one member's durable tool declaration and convergence."""
        return await self._client.mob_member_tool_declaration(
            self.id,
            agent_identity,
        )

    async def apply_member_tool_declaration(
        self,
        agent_identity: str,
        request_id: str,
        expected_intent_revision: int,
        declaration: WireMemberToolDeclaration | dict[str, Any],
        convergence: WireIdentityConvergenceMode,
    ) -> dict[str, Any]:
        """Apply one revision-fenced durable member-tool declaration."""
        return await self._client.apply_mob_member_tool_declaration(
            self.id,
            agent_identity,
            request_id,
            expected_intent_revision,
            declaration,
            convergence,
        )

    async def adopt_member_identity_declaration(
        self,
        declaration: MobAdoptMemberIdentityDeclarationParams | dict[str, Any],
    ) -> dict[str, Any]:
        """Adopt one realized member under an explicit expected-absent declaration."""
        if isinstance(declaration, dict):
            declaration = {**declaration, "mob_id": self.id}
        elif declaration.mob_id != self.id:
            raise ValueError("identity adoption mob_id must match this Mob handle")
        return await self._client.adopt_mob_member_identity_declaration(declaration)

    async def resolve_identity_convergence_block(
        self,
        agent_identity: str,
        request_id: str,
        expected_desired_revision: int,
        observed_active_revision: int,
        convergence: WireIdentityConvergenceMode,
    ) -> dict[str, Any]:
        """Continue blocked identity convergence under exact revision fences."""
        return await self._client.resolve_mob_identity_convergence_block(
            self.id,
            agent_identity,
            request_id,
            expected_desired_revision,
            observed_active_revision,
            convergence,
        )

    # ── Multi-host console verbs (phase 7, DEC-P7A-9) ────────────────────

    async def member_history(
        self,
        agent_identity: str,
        *,
        from_index: int | None = None,
        limit: int | None = None,
    ) -> MobMemberHistoryResult:
        """Read a member transcript page by identity (one shape local and
        remote; typed placement + provenance on the envelope)."""
        return await self._client.mob_member_history(
            self.id, agent_identity, from_index=from_index, limit=limit
        )

    async def hosts(self) -> list[MobHostStatus]:
        """List tracked member hosts with bind phase and capabilities."""
        return await self._client.mob_hosts(self.id)

    async def route_installs(self) -> MobRouteInstallsResult:
        """Outstanding cross-host route-install obligations."""
        return await self._client.mob_route_installs(self.id)

    async def bind_host(
        self, descriptor: WireHostBindingDescriptor | dict[str, Any]
    ) -> MobBindHostResult:
        """Bind a member-host daemon from its binding descriptor."""
        return await self._client.bind_mob_host(self.id, descriptor)

    async def revoke_host(self, host_id: str) -> MobRevokeHostResult:
        """Revoke a bound (or bind-requested) member host."""
        return await self._client.revoke_mob_host(self.id, host_id)

    async def hard_cancel(self, agent_identity: str, reason: str) -> bool:
        """Hard-cancel a member (immediate user-interrupt authority)."""
        return await self._client.hard_cancel_mob_member(
            self.id, agent_identity, reason
        )

    async def member_live_open(
        self,
        agent_identity: str,
        *,
        turning_mode: RealtimeTurningMode | None = None,
        transport: MobMemberLiveTransport | None = None,
    ) -> LiveOpenResult:
        """Open a live realtime channel on a member.

        The result carries the owning host's WS URL + single-use token
        VERBATIM — treat it as opaque.
        """
        return await self._client.open_mob_member_live(
            self.id,
            agent_identity,
            turning_mode=turning_mode,
            transport=transport,
        )

    async def member_live_close(
        self,
        agent_identity: str,
        channel_id: str,
    ) -> LiveCloseResult:
        """Close one NAMED live channel on a member."""
        return await self._client.close_mob_member_live(
            self.id, agent_identity, channel_id
        )

    async def member_live_status(
        self,
        agent_identity: str,
        channel_id: str | None = None,
    ) -> LiveStatusResult:
        """Read live channel status; omit ``channel_id`` to discover the
        member's active channel (the reply-loss reconciliation read)."""
        return await self._client.mob_member_live_status(
            self.id, agent_identity, channel_id
        )

    async def member_live_control(
        self,
        agent_identity: str,
        channel_id: str,
        verb: BridgeLiveControlVerb,
    ) -> BridgeLiveControlOutcome:
        """Drive one turn-level live control verb on a member channel."""
        return await self._client.control_mob_member_live(
            self.id, agent_identity, channel_id, verb
        )

    async def member_status(self, agent_identity: str) -> MobMemberSnapshot:
        return await self._client.mob_member_status(self.id, agent_identity)

    async def wait_for_kickoff_complete(
        self,
        *,
        member_ids: list[str] | None = None,
        timeout_ms: int | None = None,
    ) -> list[MobKickoffMemberSnapshot]:
        return await self._client.wait_mob_kickoff(
            self.id,
            member_ids=member_ids,
            timeout_ms=timeout_ms,
        )

    async def wait_for_ready(
        self,
        *,
        member_ids: list[str] | None = None,
        timeout_ms: int | None = None,
    ) -> list[MobReadyMemberSnapshot]:
        return await self._client.wait_mob_ready(
            self.id,
            member_ids=member_ids,
            timeout_ms=timeout_ms,
        )

    async def spawn_helper(
        self,
        prompt: str,
        *,
        result_label: str,
        max_text_bytes: int,
        agent_identity: str | None = None,
        role_name: str | None = None,
        model_override: str | None = None,
    ) -> MobHelperResult:
        return await self._client.spawn_mob_helper(
            self.id,
            prompt,
            result_label=result_label,
            max_text_bytes=max_text_bytes,
            agent_identity=agent_identity,
            role_name=role_name,
            model_override=model_override,
        )

    async def fork_helper(
        self,
        source_member_id: str,
        prompt: str,
        *,
        result_label: str,
        max_text_bytes: int,
        agent_identity: str | None = None,
        role_name: str | None = None,
        model_override: str | None = None,
        fork_context: dict[str, Any] | None = None,
    ) -> MobHelperResult:
        return await self._client.fork_mob_helper(
            self.id,
            source_member_id,
            prompt,
            result_label=result_label,
            max_text_bytes=max_text_bytes,
            agent_identity=agent_identity,
            role_name=role_name,
            model_override=model_override,
            fork_context=fork_context,
        )

    async def wire(self, member: str, peer: str | dict[str, Any]) -> None:
        await self._client.wire_mob_members(self.id, member, peer)

    async def wire_members_batch(
        self,
        edges: list[MobWireMembersBatchEdgeInput],
    ) -> MobWireMembersBatchResult:
        return await self._client.mob_wire_members_batch(self.id, edges)

    async def unwire(self, member: str, peer: str | dict[str, Any]) -> None:
        await self._client.unwire_mob_members(self.id, member, peer)

    async def lifecycle(self, action: str) -> None:
        await self._client.mob_lifecycle(self.id, action)

    def member(self, agent_identity: str) -> Member:
        return Member(self, agent_identity)

    async def append_system_context(
        self,
        agent_identity: str,
        text: str,
        *,
        source: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        return await self._client.append_mob_system_context(
            self.id,
            agent_identity,
            text,
            source=source,
            idempotency_key=idempotency_key,
        )

    async def flows(self) -> list[str]:
        return await self._client.list_mob_flows(self.id)

    async def run_flow(self, flow_id: str, params: dict[str, Any] | None = None) -> str:
        return await self._client.run_mob_flow(self.id, flow_id, params or {})

    async def run(
        self,
        params: dict[str, Any] | None = None,
        *,
        prompt: str | None = None,
        flow_id: str | None = None,
    ) -> str:
        return await self._client.run_mob(self.id, params or {}, prompt=prompt, flow_id=flow_id)

    async def flow_status(self, run_id: str) -> dict[str, Any] | None:
        return await self._client.get_mob_flow_status(self.id, run_id)

    async def run_result(self, run_id: str) -> dict[str, Any] | None:
        return await self._client.get_mob_run_result(self.id, run_id)

    async def cancel_flow(self, run_id: str) -> None:
        await self._client.cancel_mob_flow(self.id, run_id)

    async def subscribe_member_events(self, agent_identity: str) -> EventSubscription:
        """Subscribe to events for a single mob member."""
        return await self._client.subscribe_mob_member_events(self.id, agent_identity)

    async def subscribe_events(self) -> EventSubscription:
        """Subscribe to attributed mob-wide events."""
        return await self._client.subscribe_mob_events(self.id)

    async def subscribe_member(self, agent_identity: str) -> EventSubscription:
        return await self.subscribe_member_events(agent_identity)

    async def subscribe_all(self) -> EventSubscription:
        return await self.subscribe_events()

import Foundation
import RenkeiCore
import RenkeiStore

/// One sync of a replica with its hub: push every pending change, then pull until caught up.
///
/// Checkpoints only ever follow commits: the replica records the hub's acknowledgement
/// after the hub has committed the push, and moves its pull cursor in the same local
/// transaction that stores the pulled versions. Cut anywhere, the next sync resends or
/// refetches, and the hub's idempotency makes the repeat harmless.
public enum ReplicaSync {
  public static let pushBatch = 500
  public static let pullPage = 500

  /// Syncs the replica in `directory`. Holds the directory's sync lock throughout, so two
  /// syncs (a timer and a person) never interleave.
  public static func run(
    directory: AgentDirectory, retry: RetryPolicy = RetryPolicy(), progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws -> SyncSummary {
    let lock = try SyncLock(directory: directory)
    defer { lock.release() }
    var configuration = try AgentConfiguration.load(from: directory)
    let replica = try AgentReplica.open(directory)
    let token = try AccessTokenFile.read(from: AccessTokenFile.path(in: directory))
    let client = HubClient(hub: configuration.hub, token: token)
    var summary = SyncSummary(hub: configuration.hub.absoluteString, pushed: 0, pulled: 0, openConflicts: 0)

    // Who does the hub take us for? Checked on every sync: cheap, and it catches a
    // replica restored from an old copy (the hub has seen a later epoch of this site).
    let identity = try await retry.run("asking the hub who this replica is", report: progress) { try await client.whoami() }
    // The token is the right one when only the scope differs: `renkei init --scope` was
    // mistyped, and only a new replica can take the scope the hub registered.
    if identity.site == replica.site, identity.scope != replica.scope {
      throw AgentError(
        .identityMismatch,
        "this replica was set up for scope \(replica.scope), but the hub registered \(replica.site) with scope \(identity.scope); "
          + "set up a new replica with renkei init --dir NEW-DIR --site \(replica.site) --hub \(configuration.hub.absoluteString) "
          + "--token-file FILE (without --scope the hub gives it)")
    }
    guard identity.site == replica.site else {
      throw AgentError(
        .identityMismatch,
        "the hub knows this token as site \(identity.site) with scope \(identity.scope), but this replica is site \(replica.site) with scope \(replica.scope); use the token issued for \(replica.site)")
    }
    if !configuration.confirmed {
      configuration.confirmed = true
      try configuration.save(to: directory)
    }
    if identity.latestEpoch > replica.epoch {
      try replica.beginNewEpoch(after: identity.latestEpoch)
      summary.newEpoch = replica.epoch
      progress("the hub has seen epoch \(identity.latestEpoch) of \(replica.site): this replica is a restored copy, so it now writes as epoch \(replica.epoch)")
    }

    // Push.
    let waiting = try replica.pendingChangeCount()
    // Each push goes on a connection of its own. When a reused connection dies mid-upload,
    // libcurl sends the request again on a new one, but URLSession on Linux cannot rewind an
    // in-memory body: the head goes out, the body never does, and the request waits out its
    // whole timeout (a minute) before the retry below gets its turn.
    // The fresh copies share what the client learns about gzip-coded pushes, so a hub that
    // refuses them costs one refused upload per sync, not one per batch.
    let push = { (changes: [Change]) in try await client.onFreshConnections().push(changes) }
    while true {
      let batch = try replica.pendingChanges(limit: pushBatch)
      guard !batch.isEmpty else { break }
      let result: PushResult
      do {
        result = try await retry.run("pushing \(batch.count) changes", report: progress) { try await push(batch) }
      } catch let refusal as HubRefusal where refusal.error.code == "epoch-reused" {
        // The hub holds different changes under our sequence numbers: this replica was
        // restored from a copy. Those of its changes the hub holds identically, the lost
        // copy delivered before it was lost: acknowledge them, one by one, so they are not
        // written a second time. Then rewrite the rest under a fresh epoch and go on.
        do {
          for change in batch {
            do {
              _ = try await retry.run("pushing change \(change.sequence) alone", report: progress) { try await push([change]) }
            } catch let refusal as HubRefusal where refusal.error.code == "epoch-reused" {
              break
            }
            try replica.acknowledge(through: change.sequence)
          }
        } catch let refusal as HubRefusal {
          throw AgentError(
            .refused, "the hub refused a change of a restored replica: \(refusal.error.message) (\(refusal.status) \(refusal.error.code))")
        }
        try replica.beginNewEpoch(after: max(identity.latestEpoch, replica.epoch))
        summary.newEpoch = replica.epoch
        progress("the hub already holds other changes under these sequence numbers: now writing as epoch \(replica.epoch)")
        continue
      } catch let refusal as HubRefusal {
        throw AgentError(.refused, "the hub refused the push of changes \(batch.first!.sequence)–\(batch.last!.sequence): \(refusal.error.message) (\(refusal.status) \(refusal.error.code)); nothing of that push was stored, and the changes stay queued here")
      }
      guard result.acknowledgedSequence >= batch.last!.sequence else {
        throw AgentError(.refused, "the hub acknowledged only up to sequence \(result.acknowledgedSequence) of a push ending at \(batch.last!.sequence)")
      }
      // The hub holds the whole batch. It may hold more of this writer (a copy restored
      // after the lost one pushed these same changes and others): acknowledge only what
      // this replica wrote; a later change that differs is refused as epoch-reused.
      try replica.acknowledge(through: batch.last!.sequence)
      summary.pushed += result.applied
      if waiting > pushBatch { progress("pushed \(summary.pushed) of \(waiting) changes") }
    }

    // Pull. The next page is asked for while this one is stored (its cursor is known once
    // it arrives), so the hub's time for a page and the replica's are spent side by side
    // rather than one after the other. The cursor still moves only with what is stored: a
    // sync cut while the next page is on its way asks for that page again next time.
    let pull = { @Sendable (after: UInt64, stored: UInt64) in
      try await retry.run("pulling after \(after)", report: progress) {
        try await client.pull(after: after, limit: pullPage, stored: stored)
      }
    }
    var cursor = try replica.pullCursor
    var page = try await pull(cursor, cursor)
    while true {
      let isLast = !page.hasMore || page.cursor <= cursor
      let (nextCursor, storedCursor) = (page.cursor, cursor)
      // Asked while the replica still holds the feed through `cursor`; cancelled and awaited
      // if storing this page fails.
      async let next = isLast ? nil : pull(nextCursor, storedCursor)
      try replica.apply(page.entries, cursor: page.cursor)
      summary.pulled += page.entries.count
      if !isLast { progress("pulled \(summary.pulled) versions so far") }
      guard let fetched = try await next else { break }
      cursor = nextCursor
      page = fetched
    }

    summary.openConflicts = try replica.openConflictCount()
    configuration.lastSuccessfulSync = ISO8601DateFormatter().string(from: Date())
    try configuration.save(to: directory)
    return summary
  }
}

/// A hybrid logical clock (Kulkarni et al., 2014). Pure: the caller passes the wall clock
/// in, so tests can run it with skewed or jumping clocks.
public struct HybridClock: Sendable, Equatable {
  /// The last reading issued or observed.
  public private(set) var last: HybridTimestamp

  public init(last: HybridTimestamp = .zero) { self.last = last }

  /// A reading for a local event, later than every reading before it.
  public mutating func tick(wallMilliseconds: Int64) -> HybridTimestamp {
    if wallMilliseconds > last.milliseconds {
      last = HybridTimestamp(milliseconds: wallMilliseconds)
    } else {
      last = Self.bump(last)
    }
    return last
  }

  /// Takes in a reading received from another site, so later local readings follow it.
  public mutating func observe(_ remote: HybridTimestamp, wallMilliseconds: Int64) {
    let wall = HybridTimestamp(milliseconds: wallMilliseconds)
    let latest = max(last, remote, wall)
    last = latest == wall && wall > last && wall > remote ? wall : Self.bump(latest)
  }

  private static func bump(_ stamp: HybridTimestamp) -> HybridTimestamp {
    // The counter wrapping would take four billion events inside one millisecond; move
    // the millisecond on instead of overflowing.
    stamp.counter == .max
      ? HybridTimestamp(milliseconds: stamp.milliseconds + 1)
      : HybridTimestamp(milliseconds: stamp.milliseconds, counter: stamp.counter + 1)
  }
}

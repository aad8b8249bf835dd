/// Renkei's version, reported by `--version` and `GET /v1/health`.
public enum RenkeiVersion {
  public static let current = "0.3.0"
}

/// A record version's parts as the hub stores them: canonical JSON of its fields, its
/// version vector and its stamp.
struct StoredVersionText {
  var fields: String
  var vector: String
  var stamp: String
}

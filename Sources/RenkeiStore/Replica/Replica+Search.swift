import Foundation
import RenkeiCore

extension Replica {
  /// The live hearing notes whose topic, body, follow-ups or attendees contain every one of
  /// `words`, most recently held first (undated last), then by id.
  ///
  /// Words are separated by whitespace, the ideographic space included, and match anywhere
  /// inside the text, Japanese needing no word breaks: `認知` finds 認知症. Text and words
  /// are both folded for search (``SearchFolding``): width and case do not matter, so `abc`
  /// and `ABC` find ＡＢＣ, `2026` finds ２０２６, `ケアマネ` finds ｹｱﾏﾈ, and the other way
  /// round. The stored note is not changed; only the index holds folded text. No words
  /// finds nothing.
  ///
  /// Two paths, because FTS5's trigram tokenizer indexes runs of three characters and so
  /// can never match a shorter word (it returns no rows even for `LIKE '%認知%'` on the
  /// index itself):
  /// - words of three characters or more go to the index, `note_search MATCH`, as quoted
  ///   phrases;
  /// - shorter words, common in Japanese (認知, 介護, 県), are found by a LIKE scan of
  ///   `note_text`, the same text the index holds. It reads every note, which is cheap at a
  ///   prefecture's few thousand notes and needs no second index to keep in step; a bigram
  ///   column would make it indexed if replicas ever grow far beyond that. Both sides are
  ///   folded to lower case already, so LIKE's own ASCII-only case folding does not matter.
  ///
  /// A query mixing both kinds intersects the two.
  public func searchNotes(_ words: String) throws -> [StoredRecord] {
    let terms = Self.searchTerms(words)
    guard !terms.isEmpty else { return [] }
    var sql = """
      SELECT t.record_id FROM note_text t JOIN records r ON r.id = t.record_id
      WHERE r.kind = 'note' AND r.deleted = 0
      """
    var values: [DatabaseValue] = []
    let indexed = terms.filter { $0.unicodeScalars.count >= 3 }
    if !indexed.isEmpty {
      sql += " AND t.docid IN (SELECT rowid FROM note_search WHERE note_search MATCH ?)"
      values.append(.text(indexed.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")))
    }
    for term in terms where term.unicodeScalars.count < 3 {
      sql += """
         AND (t.topic LIKE ? ESCAPE '\\' OR t.body LIKE ? ESCAPE '\\' OR t.follow_ups LIKE ? ESCAPE '\\'
           OR t.attendees LIKE ? ESCAPE '\\')
        """
      let pattern = DatabaseValue.text("%" + Self.escapedForLike(term) + "%")
      values += [pattern, pattern, pattern, pattern]
    }
    sql += " ORDER BY json_extract(r.state, '$.held_on') DESC NULLS LAST, r.id"
    // The SQL varies with the number of short words, so it is prepared, not cached.
    let ids = try database.prepare(sql).rows(values).map { try RecordID(try $0.string(0)) }
    return try ids.compactMap { try record($0) }
  }

  /// The distinct words of a query, folded as the index is, in the order typed. Folding
  /// comes first: it turns the ideographic space into a space, and it decides a word's
  /// length (ｹｱ is four scalars typed, two folded).
  static func searchTerms(_ words: String) -> [String] {
    var seen: Set<String> = []
    return SearchFolding.folded(words).split(whereSeparator: \.isWhitespace).map(String.init).filter {
      seen.insert($0).inserted
    }
  }

  private static func escapedForLike(_ term: String) -> String {
    var escaped = ""
    for character in term {
      if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
      escaped.append(character)
    }
    return escaped
  }
}

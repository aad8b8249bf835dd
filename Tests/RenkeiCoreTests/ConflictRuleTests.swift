import RenkeiCore
import Testing

/// One named test per row of DESIGN.md's conflict-rule table that a single record's merge
/// decides. The ledger rows (new entries, duplicates, closed years) are in RenkeiHubTests.
@Suite struct ConflictRuleTests {
  func run(_ name: String) throws -> (ProtocolVectors.MergeCase.Expected, ProtocolVectors.MergeCase.Expected) {
    let found = try #require(ProtocolVectors.mergeCases.first { $0.name == name }, "vector \(name) is missing")
    return (found.run(), found.expected)
  }

  @Test func fieldsChangedOnOneSideOnlyMergeAutomatically() throws {
    let (result, expected) = try run("fields changed on one side only merge")
    #expect(result == expected)
    #expect(result.conflicts.isEmpty)
    #expect(result.fields["venue"] == .string("オンライン") && result.fields["participants"] == .integer(40))
  }

  @Test func sameFieldSameNewValueMergesAutomatically() throws {
    let (result, expected) = try run("same field, same new value merges")
    #expect(result == expected && result.conflicts.isEmpty)
  }

  @Test func coHostsAndAttendeesMergeAsSets() throws {
    let (coHosts, expectedCoHosts) = try run("co_hosts: union of additions, removal where removed")
    #expect(coHosts == expectedCoHosts)
    #expect(coHosts.fields["co_hosts"] == .strings(["さいたま市", "埼玉県"]))
    let (attendees, expectedAttendees) = try run("attendees: union of additions")
    #expect(attendees == expectedAttendees && attendees.conflicts.isEmpty)
  }

  @Test func textFieldsMergeByLinesAndOverlappingHunksConflict() throws {
    let (notes, expectedNotes) = try run("notes: different lines merge three-way")
    #expect(notes == expectedNotes && notes.conflicts.isEmpty)
    let (followUps, expectedFollowUps) = try run("follow_ups: different lines merge")
    #expect(followUps == expectedFollowUps)
    let (body, expectedBody) = try run("body: the same paragraph changed differently conflicts")
    #expect(body == expectedBody)
    #expect(body.conflicts == [FieldConflict(field: "body", rule: .overlappingText)])
  }

  @Test func eventScalarsWithDifferentNewValuesConflict() throws {
    let (result, expected) = try run("event scalar: different new values conflict, latest stamp stands provisionally")
    #expect(result == expected)
    #expect(result.conflicts == [FieldConflict(field: "venue", rule: .differentValues)])
    let (tie, expectedTie) = try run("equal timestamps: the later writer wins the tie")
    #expect(tie == expectedTie)
  }

  @Test func moneyFieldsOfAnExistingFundEntryAlwaysConflict() throws {
    for name in [
      "fund amount: concurrent different values conflict",
      "fund amount: changed on one side while the other edited the memo still conflicts",
      "fund programme and fiscal year: concurrent edits conflict",
    ] {
      let (result, expected) = try run(name)
      #expect(result == expected, "\(name)")
      #expect(result.conflicts.allSatisfy { $0.rule == .money } && !result.conflicts.isEmpty, "\(name)")
    }
    let (same, expectedSame) = try run("fund amount: the same new value on both sides merges")
    #expect(same == expectedSame && same.conflicts.isEmpty)
  }

  @Test func editAgainstDeleteConflicts() throws {
    let (deleteWins, expectedDeleteWins) = try run("edit against delete conflicts; the later delete stands provisionally")
    #expect(deleteWins == expectedDeleteWins && deleteWins.deleted)
    let (editWins, expectedEditWins) = try run("edit against delete conflicts; the later edit stands provisionally")
    #expect(editWins == expectedEditWins && !editWins.deleted)
    #expect(editWins.conflicts.map(\.rule) == [.editDelete])
    let (both, expectedBoth) = try run("both sides delete: no conflict")
    #expect(both == expectedBoth && both.conflicts.isEmpty)
  }

  @Test func invalidCombinationsGoToAPersonWhole() throws {
    let (result, expected) = try run("fields that merge one by one but make an invalid record conflict whole")
    #expect(result == expected)
    #expect(Set(result.conflicts.map(\.field)) == ["starts_on", "ends_on"])
  }
}

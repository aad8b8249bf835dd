import Foundation
import Testing

/// Staff import their spreadsheet again after adding rows.
extension AgentCommandTests {
  @Test func anEventsFileImportedAgainImportsOnlyItsNewRows() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let header = "id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\r\n"
    let first = "e-1,kanto-shinetsu,11,2023,seminar,認知症研修,2023-06-01,,さいたま市,,40,held,test\r\n"
    let second = "e-2,kanto-shinetsu,11,2023,council,協議会,2023-07-01,,,,,planned,test\r\n"
    let third = "e-3,kanto-shinetsu,11,2023,visit,訪問,2023-09-01,,,,,planned,test\r\n"
    let csv = sandbox.root + "/events.csv"
    try (header + first + second).write(toFile: csv, atomically: true, encoding: .utf8)
    #expect(try sandbox.ok(directory, "import", "events", csv) == "imported 2 events from \(csv)")

    // Staff add a row to the spreadsheet and import it again.
    try (header + first + second + third).write(toFile: csv, atomically: true, encoding: .utf8)
    #expect(try sandbox.ok(directory, "import", "events", csv) == "imported 1 event from \(csv); 2 already present")
    #expect(try sandbox.ok(directory, "import", "events", csv) == "imported 0 events from \(csv); 3 already present")
    let json = try sandbox.ok(directory, "import", "events", csv, "--json")
    #expect(json.contains(#""already_present" : 3"#) || json.contains(#""already_present":3"#), "\(json)")
    #expect(try sandbox.json([JSONRecord].self, directory, "event", "list", "--json").map(\.id).sorted() == ["e-1", "e-2", "e-3"])
    #expect(try sandbox.ok(directory, "status").contains("to push:       3 changes"))

    // A row that no longer agrees with its event refuses the file, naming what differs.
    try sandbox.ok(directory, "event", "edit", "e-1", "--venue", "川越市")
    let fourth = "e-4,kanto-shinetsu,11,2023,training,研修,2023-10-01,,,,,planned,test\r\n"
    try (header + first + second + third.replacingOccurrences(of: ",planned,", with: ",held,") + fourth)
      .write(toFile: csv, atomically: true, encoding: .utf8)
    expectFailure(
      try sandbox.run(directory, "import", "events", csv),
      "\(csv): 2 rows have ids already on this replica with different content, which an import never overwrites: "
        + "line 2: e-1 (venue: \"川越市\" here, \"さいたま市\" in the file); line 4: e-3 (status: \"planned\" here, \"held\" in the file); "
        + "make the file and those records agree (renkei event show ID, renkei event edit ID), then import again; nothing was imported")
    #expect(try sandbox.json([JSONRecord].self, directory, "event", "list", "--json").count == 3)
    #expect(try sandbox.ok(directory, "status").contains("to push:       4 changes"))
  }
}

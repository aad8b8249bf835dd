import Foundation
import Testing

/// A fund entry of 0 yen moves no money: refused, naming the field, and nothing is written.
extension AgentCommandTests {
  @Test func aFundEntryOfZeroYenIsRefusedNamingTheFieldAndNothingIsWritten() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let add = ["--dir", directory, "fund", "add", "--programme", "地域支援事業交付金", "--on", "2023-10-02"]
    let refusal =
      "the fund entry was not saved: amount: 0 yen is refused for kind deposit, as it moves no money: give a whole number of yen other than 0 (0 only for final-determination or balance-survey)"
    for amount in ["0", "0円", "０"] {
      expectFailure(try sandbox.run(add + ["--kind", "deposit", "--amount", amount]), refusal)
    }
    expectFailure(
      try sandbox.run(add + ["--kind", "execution", "--amount", "0"]),
      "the fund entry was not saved: amount: 0 yen is refused for kind execution, as it moves no money: give a whole number of yen other than 0 (0 only for final-determination or balance-survey)"
    )
    #expect(try sandbox.json([JSONRecord].self, directory, "fund", "list", "--json").isEmpty)
    #expect(try sandbox.ok(directory, "status").contains("to push:       0 changes"))

    // A balance survey of an empty fund is 0, and says so.
    let survey = try sandbox.ok(
      directory, "fund", "add", "--programme", "地域支援事業交付金", "--kind", "balance-survey", "--amount", "0", "--on", "2023-10-02")
    #expect(try sandbox.json([JSONRecord].self, directory, "fund", "list", "--json").map(\.id) == [survey])
  }
}

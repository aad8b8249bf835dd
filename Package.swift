// swift-tools-version:6.0
import PackageDescription

// Renkei takes no package dependencies: the Swift toolchain and the system SQLite
// are all it runs on, so a government office can audit every line it executes.
let package = Package(
  name: "Renkei",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "RenkeiCore", targets: ["RenkeiCore"]),
    .library(name: "RenkeiStore", targets: ["RenkeiStore"]),
    .library(name: "RenkeiCompression", targets: ["RenkeiCompression"]),
    .library(name: "RenkeiHTTP", targets: ["RenkeiHTTP"]),
    .library(name: "RenkeiHub", targets: ["RenkeiHub"]),
    .library(name: "RenkeiAgent", targets: ["RenkeiAgent"]),
    .executable(name: "renkei", targets: ["renkei"]),
    .executable(name: "renkei-hub", targets: ["renkei-hub"]),
    .executable(name: "renkei-bench", targets: ["renkei-bench"]),
  ],
  targets: [
    .systemLibrary(
      name: "CSQLite",
      providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]
    ),
    .target(name: "RenkeiCore"),
    .target(name: "RenkeiStore", dependencies: ["CSQLite", "RenkeiCore"]),
    // DEFLATE and gzip, written here because Renkei links nothing but the toolchain and SQLite.
    .target(name: "RenkeiCompression"),
    .target(name: "RenkeiHTTP", dependencies: ["RenkeiCompression"]),
    .target(name: "RenkeiCommandLine"),
    .target(name: "RenkeiHub", dependencies: ["RenkeiStore", "RenkeiHTTP", "RenkeiReports", "RenkeiCore"]),
    .target(name: "RenkeiReports", dependencies: ["RenkeiCore"]),
    .target(
      name: "RenkeiAgent", dependencies: ["RenkeiStore", "RenkeiCommandLine", "RenkeiReports", "RenkeiCompression", "RenkeiCore"]),
    .executableTarget(name: "renkei", dependencies: ["RenkeiAgent", "RenkeiStore", "RenkeiCommandLine", "RenkeiCore"]),
    .executableTarget(
      name: "renkei-hub", dependencies: ["RenkeiHub", "RenkeiHTTP", "RenkeiStore", "RenkeiCommandLine", "RenkeiReports", "RenkeiCore"]),
    .testTarget(name: "RenkeiCoreTests", dependencies: ["RenkeiCore", "RenkeiTestSupport"]),
    .testTarget(name: "RenkeiStoreTests", dependencies: ["RenkeiStore", "RenkeiCore", "RenkeiTestSupport"]),
    // Test helpers shared by the test targets: a raw loopback HTTP client, a seeded generator.
    .target(name: "RenkeiTestSupport", dependencies: ["RenkeiHTTP"], path: "Tests/RenkeiTestSupport"),
    .testTarget(name: "RenkeiCompressionTests", dependencies: ["RenkeiCompression", "RenkeiTestSupport"]),
    .testTarget(name: "RenkeiHTTPTests", dependencies: ["RenkeiHTTP", "RenkeiCompression", "RenkeiTestSupport"]),
    .testTarget(name: "RenkeiCommandLineTests", dependencies: ["RenkeiCommandLine"]),
    .executableTarget(
      name: "renkei-bench", dependencies: ["RenkeiHub", "RenkeiAgent", "RenkeiStore", "RenkeiHTTP", "RenkeiCommandLine", "RenkeiCore"]),
    .testTarget(name: "RenkeiReportsTests", dependencies: ["RenkeiReports", "RenkeiCore"]),
    .testTarget(
      name: "RenkeiHubTests",
      dependencies: ["RenkeiHub", "RenkeiHTTP", "RenkeiCompression", "RenkeiTestSupport", "RenkeiStore", "RenkeiCore"]),
    .testTarget(
      name: "RenkeiAgentTests",
      dependencies: ["RenkeiAgent", "RenkeiHub", "RenkeiStore", "RenkeiCompression", "RenkeiCore", "RenkeiTestSupport"]),
    // Runs the built `renkei`, `renkei-hub` and `renkei-bench` binaries as separate processes.
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["renkei", "renkei-hub", "renkei-bench", "RenkeiHub", "RenkeiHTTP", "RenkeiStore", "RenkeiCompression", "RenkeiCore", "RenkeiTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

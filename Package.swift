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
    .library(name: "RenkeiHTTP", targets: ["RenkeiHTTP"]),
    .library(name: "RenkeiHub", targets: ["RenkeiHub"]),
  ],
  targets: [
    .systemLibrary(
      name: "CSQLite",
      providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]
    ),
    .target(name: "RenkeiCore"),
    .target(name: "RenkeiStore", dependencies: ["CSQLite", "RenkeiCore"]),
    .target(name: "RenkeiHTTP"),
    .target(name: "RenkeiCommandLine"),
    .target(name: "RenkeiHub", dependencies: ["RenkeiStore", "RenkeiCore"]),
    .testTarget(name: "RenkeiCoreTests", dependencies: ["RenkeiCore"]),
    .testTarget(name: "RenkeiStoreTests", dependencies: ["RenkeiStore", "RenkeiCore"]),
    .testTarget(name: "RenkeiHTTPTests", dependencies: ["RenkeiHTTP"]),
    .testTarget(name: "RenkeiCommandLineTests", dependencies: ["RenkeiCommandLine"]),
    .testTarget(name: "RenkeiHubTests", dependencies: ["RenkeiHub", "RenkeiStore", "RenkeiCore"]),
  ],
  swiftLanguageModes: [.v6]
)

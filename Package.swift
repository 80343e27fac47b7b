// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "adviser-planner",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "adviser-planner", targets: ["adviser-planner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The C boundary: <glpk.h> plus a small shim that turns GLPK's abort() into a return code.
        .target(
            name: "CGLPK",
            linkerSettings: [.linkedLibrary("glpk")]
        ),
        .target(name: "GLPK", dependencies: ["CGLPK"]),
        .target(name: "AdviserModel"),
        .target(name: "AdviserSolver", dependencies: ["AdviserModel", "GLPK"]),
        .target(name: "AdviserReports", dependencies: ["AdviserModel", "AdviserSolver"]),
        .executableTarget(
            name: "adviser-planner",
            dependencies: [
                "AdviserModel", "AdviserSolver", "AdviserReports", "GLPK",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        .testTarget(name: "AdviserModelTests", dependencies: ["AdviserModel"]),
        .testTarget(name: "AdviserSolverTests", dependencies: ["AdviserSolver", "AdviserModel", "GLPK"], exclude: ["Fixtures"]),
        .testTarget(name: "AdviserReportsTests", dependencies: ["AdviserReports", "AdviserSolver", "AdviserModel"]),
        // Runs the built executable: exit codes, messages and files are the contract scripts rely on.
        .testTarget(name: "CLITests", dependencies: ["adviser-planner"]),
    ]
)

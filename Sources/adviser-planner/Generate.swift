import AdviserModel
import AdviserReports
import ArgumentParser
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic scenario folder for testing and benchmarking.",
        discussion: """
        Schools are placed in real English local authorities, with each authority's real spread of free-school-meal levels; names, trusts, needs and advisers are invented. The programme is the 2026/27 school year (three terms with half-terms). The same --seed always gives the same files. DIR must not exist or be an empty folder.
        """)

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Number of schools, 1 to 30000.", valueName: "N"))
    var schools: Int

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Number of advisers, 1 to 5000 (about N / 6.6 gives capacity about 110% of demand).", valueName: "M"))
    var advisers: Int

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seed of the pseudo-random generator.", valueName: "K"))
    var seed: UInt64 = 1

    @Flag(help: "Count each visit day's round trip against the advisers' capacity (rules.travel_uses_capacity); by default a visit day is a day, travel included, and capacity is sized without travel.")
    var travelUsesCapacity = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Write rules.candidate_advisers = K: each school considers only its K nearest eligible advisers (for national-scale programmes; 1 to 10000).", valueName: "K"))
    var candidateAdvisers: Int?

    @Option(name: .long, help: ArgumentHelp("Folder to create (must not exist, or be empty).", valueName: "DIR"))
    var out: String

    func run() throws {
        do {
            try ScenarioGenerator.validate(schools: schools, advisers: advisers)
            if let k = candidateAdvisers, !(1...10_000).contains(k) {
                throw CLIError(message: "--candidate-advisers must be 1 to 10000 (got \(k))", status: .badInput)
            }
        } catch let error as ScenarioGenerator.GeneratorError {
            throw CLIError(message: error.description, status: .badInput)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError(message: "\(out) exists and is not a folder; choose a new folder for --out", status: .badInput)
            }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? ["?"]
            guard contents.isEmpty else {
                throw CLIError(message: "\(out) is not empty; choose a new or empty folder for --out (nothing was written)", status: .badInput)
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw CLIError(message: "cannot create \(out): \(error.localizedDescription)", status: .badInput)
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let scenario = try ScenarioGenerator.generate(schools: schools, advisers: advisers, seed: seed, travelUsesCapacity: travelUsesCapacity,
                                                      candidateAdvisers: candidateAdvisers)
        var bytes = 0
        let files = ScenarioWriter.files(scenario)
        for (name, text) in files {
            let data = Data(text.utf8)
            bytes += data.count
            try Output.writeAtomically(data, to: (out as NSString).appendingPathComponent(name))
        }
        let elapsed = clock.now - started
        let needDays = scenario.needs.reduce(0) { $0 + $1.days }
        let capacity = scenario.advisers.reduce(0) { $0 + $1.capacityDays }
        let las = Set(scenario.schools.map(\.localAuthority)).count
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        print("Wrote \(out): \(count(scenario.schools.count, "school", "schools")) in \(count(las, "local authority", "local authorities")), \(count(scenario.advisers.count, "adviser", "advisers")), \(count(scenario.needs.count, "need", "needs")) (\(Figures.days(needDays)) days), seed \(seed).")
        print("Adviser capacity \(Figures.days(capacity)) days for \(Figures.days(needDays + scenario.rules.leadDays * Double(scenario.schools.count))) days of need and lead work (before travel); budget £\(Figures.grouped(scenario.programme.budget ?? 0)).")
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        print(String(format: "%d files, %.1f MB, in %.2f s.", files.count, Double(bytes) / 1e6, ms / 1000))
    }
}

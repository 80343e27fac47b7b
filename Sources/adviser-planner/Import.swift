import AdviserModel
import ArgumentParser
import Foundation

/// Brings outside data into scenario files.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make scenario tables from public data.",
        subcommands: [GIAS.self])
}

extension Import {
    struct GIAS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gias",
            abstract: "Make a scenario's schools.csv from a Get Information about Schools (GIAS) export.",
            discussion: """
            Reads the DfE register's CSV download (UTF-8 or Windows-1252) and keeps URN, name, phase, local authority, trust, pupils, % free school meals, Ofsted rating and location (Easting/Northing converted to WGS84 latitude and longitude, to within a few metres). Missing or suppressed values are left blank with a warning (file:line:column and URN); a school without coordinates is skipped with a warning. Rows are written in URN order. Warnings and a summary go to stderr.
            """)

        @Argument(help: ArgumentHelp("The GIAS export.", valueName: "EXPORT.csv"))
        var export: String

        @Option(name: .customLong("la"), help: ArgumentHelp("Keep schools of this local authority, as in the export's `LA (name)` column (any case). Repeat for several.", valueName: "NAME"))
        var localAuthorities: [String] = []

        @Option(name: .customLong("phase"), help: ArgumentHelp("Keep these phases: primary, secondary, all-through, special, alternative-provision, nursery; comma-separated or repeated. Default: all of them.", valueName: "LIST"))
        var phases: [String] = []

        @Flag(help: "Keep only schools that are open (GIAS status `Open`, or `Open, but proposed to close`).")
        var openOnly = false

        @Option(name: .long, help: ArgumentHelp("Write schools.csv here instead of standard output; the folder must exist.", valueName: "schools.csv"))
        var out: String?

        func validate() throws {
            if localAuthorities.isEmpty { throw ValidationError("give at least one --la, e.g. --la Knowsley") }
        }

        func run() throws {
            let phaseList: [Phase]
            do { phaseList = try GIASImport.phases(phases) }
            catch let error as GIASImport.ImportError { throw CLIError(message: error.description, status: .badInput) }
            if let out {
                func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
                if resolved(out) == resolved(export) {
                    throw CLIError(message: "--out \(out) is the GIAS export itself; choose another file (the export is never overwritten)", status: .badInput)
                }
                try Output.checkWritable(out, protecting: [export])
            }
            guard let data = FileManager.default.contents(atPath: export) else {
                throw CLIError(message: "\(export): cannot read the file (does it exist?)", status: .badInput)
            }
            let result: GIASImport.Result
            do {
                let (text, encoding) = try GIASImport.decode(data, file: export)
                result = try GIASImport.read(text, file: export, encoding: encoding,
                                             options: .init(localAuthorities: localAuthorities, phases: phaseList, openOnly: openOnly))
            } catch let error as GIASImport.ImportError {
                throw CLIError(message: error.description, status: .badInput)
            }
            for w in result.warnings { Output.standardError("\(w.file):\(w.line):\(w.column): warning: \(w.message)") }
            let csv = Data(GIASImport.schoolsCSV(result.schools).utf8)
            if let out {
                try Output.writeAtomically(csv, to: out, protecting: [export])
            } else {
                FileHandle.standardOutput.write(csv)
            }
            var lines = result.summary.lines
            if !result.warnings.isEmpty { lines.append("\(result.warnings.count) warning\(result.warnings.count == 1 ? "" : "s") above.") }
            if let out { lines.append("Wrote \(result.schools.count) school\(result.schools.count == 1 ? "" : "s") to \(out).") }
            Output.standardError(lines.joined(separator: "\n"))
        }
    }
}

import AdviserModel
import AdviserReports
import AdviserSolver
import ArgumentParser
import Foundation

/// Exit codes of the command-line contract (DESIGN.md).
enum ExitStatus: Int32 {
    case success = 0
    case noFeasiblePlan = 1
    case badInput = 2
    case interrupted = 3
}

/// An error the CLI reports itself: a message for stderr and an exit status.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var status: ExitStatus
    var description: String { message }
}

enum Output {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// On a terminal, shows on stderr which of a command's many solves is under way ("  solving at budget
    /// £200,000: 3 of 7"), each line over the last, with the time still to go once the steps so far have
    /// taken 10 s (a national sensitivity of every adviser takes hours); nil elsewhere, so logs and pipes get none.
    static func stepProgress<Subject>(_ describe: @escaping @Sendable (Subject) -> String) -> (@Sendable (Int, Int, Subject) -> Void)? {
        guard standardErrorIsTerminal else { return nil }
        let began = ContinuousClock.now
        return { done, total, subject in
            var line = "\r\u{1B}[K  \(describe(subject)): \(done + 1) of \(total)"
            // Steps started so far stand for those done: with two at a time, one more is under way.
            let elapsed = began.duration(to: .now) / .seconds(1)
            if done > 0, elapsed >= 10 { line += ", " + Figures.timeLeft(elapsed / Double(done) * Double(total - done)) + " left" }
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// Clears the progress line, before the report that follows it.
    static func clearProgressLine() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }

    /// The terminal's width when standard output is one (tables are fitted to it), else nil.
    static var standardOutputColumns: Int? {
        guard isatty(STDOUT_FILENO) != 0 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes `data` to `path` through a temporary file in the same folder and a rename, so a reader
    /// never sees half a file; refuses to write over any of `protected` (the scenario's inputs).
    static func writeAtomically(_ data: Data, to path: String, protecting protected: [String] = []) throws {
        try checkWritable(path, protecting: protected)
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = directory + "/." + (target as NSString).lastPathComponent + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CLIError(message: "cannot write \(path): permission denied or disk full", status: .badInput)
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CLIError(message: "cannot write \(path): \(reason)", status: .badInput)
        }
    }
}

extension Output {
    /// Fails early, before a solve, when an output path would overwrite an input or cannot be written.
    static func checkWritable(_ path: String, protecting protected: [String]) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        for input in protected where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path == target {
            throw CLIError(message: "\(path) is one of the scenario's input files; choose another output file", status: .badInput)
        }
        let directory = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(message: "cannot write \(path): the folder \(directory) does not exist", status: .badInput)
        }
    }
}

extension Output {
    /// Sorted keys and a final newline, like plan files, so scripts get stable bytes.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}

enum Inputs {
    /// The bundled default scenario: ./scenarios/knowsley-pathways, or beside the executable's checkout.
    static func defaultScenario() throws -> String {
        let name = "scenarios/knowsley-pathways"
        if FileManager.default.fileExists(atPath: name + "/" + ScenarioLoader.manifestName) { return name }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(ScenarioLoader.manifestName).path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        throw CLIError(message: "no SCENARIO given and the bundled \(name) was not found; pass a scenario folder", status: .badInput)
    }

    static func scenario(_ directory: String) throws -> Scenario {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(message: "\(directory): not a scenario folder (expected a folder holding \(ScenarioLoader.manifestName))", status: .badInput)
        }
        do {
            return try ScenarioLoader.load(directory: directory)
        } catch let error as ScenarioError {
            let count = error.diagnostics.count
            throw CLIError(message: error.description + "\n\(count) problem\(count == 1 ? "" : "s") found in \(directory)", status: .badInput)
        }
    }

    static func change(_ path: String, base: Scenario) throws -> ScenarioChange {
        do {
            return try ScenarioChange.load(path: path, base: base)
        } catch let error as ScenarioError {
            let count = error.diagnostics.count
            throw CLIError(message: error.description + "\n\(count) problem\(count == 1 ? "" : "s") found in \(path)", status: .badInput)
        }
    }

    /// Where JSON text stops being JSON, as line and column, from Foundation's parser ("... around
    /// character N." or the end of the text); nil when it parses.
    static func jsonSyntaxError(_ data: Data) -> (line: Int, column: Int, reason: String)? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            var reason = text
            var offset = data.count
            if let range = text.range(of: " around character ") {
                reason = String(text[..<range.lowerBound])
                offset = min(data.count, Int(text[range.upperBound...].prefix { $0.isNumber }) ?? data.count)
            }
            if reason.hasSuffix(".") { reason.removeLast() }
            let (line, column) = lineAndColumn(ofByte: offset, in: data)
            return (line, column, reason.isEmpty ? "the text ends too soon" : reason)
        }
    }

    /// A `--adviser` filter must name an adviser of the plan.
    static func requireAdviser(_ id: String?, in plan: Plan) throws {
        if let id, plan.adviser(id) == nil {
            throw CLIError(message: "adviser \(id) is not in the plan; advisers: \(plan.advisers.map(\.id).joined(separator: ", "))", status: .badInput)
        }
    }

    /// A field's place in a plan file as a reader finds it: `assignments[3].adviser` (counting from 1).
    static func fieldPath(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index + 1)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    /// ":line:column" where the value of `field` (as `fieldPath` writes it; "" for the whole text) starts in
    /// JSON text, or "" when the text has no such field. Only called on text that parsed.
    static func jsonPlace(of field: String, in data: Data) -> String {
        let bytes = [UInt8](data)
        var offset = 0
        func skipSpace() { while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 } }
        func string() -> String {
            offset += 1  // the opening quote
            var text: [UInt8] = []
            while offset < bytes.count, bytes[offset] != 0x22 {
                if bytes[offset] == 0x5C { text.append(bytes[offset]); offset += 1 }
                if offset < bytes.count { text.append(bytes[offset]); offset += 1 }
            }
            if offset < bytes.count { offset += 1 }
            return String(decoding: text, as: UTF8.self)
        }
        // Walks the value at `path`; true once the field is found (`offset` is then its first byte).
        func value(_ path: String) -> Bool {
            skipSpace()
            if path == field { return true }
            guard offset < bytes.count else { return false }
            switch bytes[offset] {
            case 0x7B, 0x5B:  // { or [
                let isObject = bytes[offset] == 0x7B
                offset += 1
                var index = 0
                while true {
                    skipSpace()
                    guard offset < bytes.count else { return false }
                    if bytes[offset] == 0x7D || bytes[offset] == 0x5D { offset += 1; return false }
                    if bytes[offset] == 0x2C { offset += 1; continue }
                    index += 1
                    var member = path + "[\(index)]"
                    if isObject {
                        let key = string()
                        skipSpace()
                        if offset < bytes.count, bytes[offset] == 0x3A { offset += 1 }
                        member = path.isEmpty ? key : path + "." + key
                    }
                    if value(member) { return true }
                }
            case 0x22:
                _ = string()
            default:
                while offset < bytes.count, ![0x2C, 0x7D, 0x5D, 0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
            }
            return false
        }
        guard value("") else { return "" }
        let (line, column) = lineAndColumn(ofByte: offset, in: bytes)
        return ":\(line):\(column)"
    }

    /// A plan given as the base of a what-if or a sensitivity analysis: it must come from `scenario` (in
    /// `folder`) as the files are now, since every figure is then measured against it.
    static func plan(_ path: String, madeFrom scenario: Scenario, folder: String) throws -> Plan {
        let plan = try plan(path)
        guard plan.scenario.fingerprint == scenario.fingerprint else {
            throw CLIError(message: "\(path) was not made from \(folder) as it is now (fingerprints differ); solve it again", status: .badInput)
        }
        return plan
    }

    static func plan(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(message: "\(path): cannot read the plan file (does it exist?)", status: .badInput)
        }
        let rewrite = "the file was edited or damaged: write it again with `solve --out`"
        do {
            let plan = try Plan.decode(from: data)
            if let problem = plan.firstUnknownReference() ?? plan.firstImplausibleFigure() {
                throw CLIError(message: "\(path)\(jsonPlace(of: problem.field, in: data)): \(problem.message); \(rewrite)", status: .badInput)
            }
            return plan
        } catch let error as CLIError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            if let place = jsonSyntaxError(data) {
                throw CLIError(message: "\(path):\(place.line):\(place.column): not valid JSON here (\(place.reason)); \(rewrite)", status: .badInput)
            }
            // Valid JSON with a value that cannot be read (a date such as 2027-02-30): placed at that value.
            let place = jsonPlace(of: fieldPath(context.codingPath), in: data)
            throw CLIError(message: "\(path)\(place): not a readable plan file: \(context.debugDescription)", status: .badInput)
        } catch let DecodingError.keyNotFound(key, context) {
            // Placed at the record that lacks it.
            let place = jsonPlace(of: fieldPath(context.codingPath), in: data)
            throw CLIError(message: "\(path)\(place): not a plan file: the field `\(fieldPath(context.codingPath + [key]))` is missing", status: .badInput)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = fieldPath(context.codingPath)
            throw CLIError(message: "\(path)\(jsonPlace(of: field, in: data)): not a plan file: `\(field)` has the wrong type", status: .badInput)
        } catch {
            throw CLIError(message: "\(path): not a plan file: \(error)", status: .badInput)
        }
    }
}

/// Set by SIGINT so a long solve stops cleanly and keeps its best plan. A second Ctrl-C quits at once
/// (exit 3): the heuristic's first plan, an LP relaxation under way and the dating of visits cannot stop
/// midway and may take minutes on a large programme, and a user who presses Ctrl-C again wants out, not
/// to wait.
final class InterruptFlag: @unchecked Sendable {
    static let shared = InterruptFlag()
    nonisolated(unsafe) static var raised: sig_atomic_t = 0
    /// What the handler writes on stderr, made before it is installed: a signal handler may not allocate.
    nonisolated(unsafe) static var firstNotice: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var secondNotice: UnsafeMutablePointer<CChar>?

    private var installed = false

    /// Once per process: a command that solves twice (whatif, compare) asks again before its second solve,
    /// and a Ctrl-C during the first must still stop the second.
    func install() {
        guard !installed else { return }
        installed = true
        // Set everything the handler reads now, so nothing is lazily initialised inside it.
        InterruptFlag.raised = 0
        // Only a person at a terminal needs telling that the Ctrl-C was heard; scripts read the summary.
        InterruptFlag.firstNotice = Output.standardErrorIsTerminal
            ? strdup("\r\u{1B}[K  Ctrl-C: stopping with the best plan found so far (press Ctrl-C again to quit at once, without it)\n") : nil
        InterruptFlag.secondNotice = strdup("\nadviser-planner: Ctrl-C pressed twice: stopped at once, without finishing. Press Ctrl-C only once to stop the search and keep the best plan found so far.\n")
        signal(SIGINT) { _ in
            // Only async-signal-safe calls here: write(2) and _exit(2).
            if InterruptFlag.raised != 0 {
                if let text = InterruptFlag.secondNotice { _ = write(STDERR_FILENO, text, strlen(text)) }
                _exit(ExitStatus.interrupted.rawValue)
            }
            InterruptFlag.raised = 1
            if let text = InterruptFlag.firstNotice { _ = write(STDERR_FILENO, text, strlen(text)) }
        }
        // A child inherits its parent's blocked signals: one started from a Dispatch worker thread (an
        // app, a test runner) has SIGINT blocked, and Ctrl-C would stay pending for ever. The solver
        // threads start later and inherit this thread's mask.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }

    var isRaised: Bool { InterruptFlag.raised != 0 }
}

extension InterruptFlag {
    /// After the report: when Ctrl-C stopped a search, says so. On stdout beside a text report, so a saved
    /// or piped one says why its gap is not closed; on stderr when stdout carries JSON.
    static func noteInterruption(json: Bool) {
        guard shared.isRaised else { return }
        if json {
            Output.standardError("Search stopped by Ctrl-C: the plan is the best found so far; its `gap` says how far from proven it is.")
        } else {
            print("Search stopped by Ctrl-C: this is the best plan found so far; the gap above says how far from proven it is.")
        }
    }
}


/// Runs the planner and turns its errors into the command line's exit codes.
enum Pipeline {
    static func run(_ scenario: Scenario, options: AllocationOptions, datingVisits: Bool = true) throws -> Planner.Result {
        do {
            let result = try Planner.plan(scenario, options: options, datingVisits: datingVisits)
            if options.progress != nil { Output.clearProgressLine() }
            return result
        } catch let error as AllocationError {
            if options.progress != nil { Output.clearProgressLine() }
            switch error {
            case .noFeasiblePlan: throw CLIError(message: error.description, status: .noFeasiblePlan)
            case .noPlanWithinLimit: throw CLIError(message: error.description, status: .interrupted)
            case .solver: throw CLIError(message: error.description, status: .badInput)
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(message: "planning failed: \(error)", status: .badInput)
        }
    }
}

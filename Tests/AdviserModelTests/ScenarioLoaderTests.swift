import Foundation
import Testing
@testable import AdviserModel

/// A small valid scenario written to a fresh folder; tests break one file at a time.
struct Fixture {
    var files: [String: String] = [
        "scenario.toml": """
        [programme]
        name = "Test programme"
        start = 2026-09-01
        end = 2027-07-21
        budget = 50000

        [rules]
        independence = "local-authority"
        require_lead = true
        lead_days = 1
        max_travel_minutes = 60

        [weights]
        expertise = 10
        """,
        "schools.csv": """
        id,name,phase,local_authority,trust,pupils,disadvantaged_pct,inspection_grade,latitude,longitude
        100001,Alpha Primary,primary,Knowsley,,210,40.5,2,53.41,-2.84
        100002,"Beta, Academy",secondary,Knowsley,Beta Trust,900,30,,53.42,-2.85
        """,
        "advisers.csv": """
        id,name,role,home_latitude,home_longitude,phases,expertise,capacity_days,max_schools,day_rate,employer_trust,employer_la,home_school
        A1,Ann Able,former HMI,53.45,-2.80,primary;secondary,literacy:3;leadership:2,20,3,600,,Wigan,
        A2,Bob Best,serving headteacher,53.40,-2.90,primary,maths:2,10.5,2,500,,Sefton,
        """,
        "needs.csv": """
        school,area,days,priority
        100001,literacy,4,3
        100002,literacy,2.5,2
        100002,leadership,2,1
        """,
    ]

    func write() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("adviser-fixture-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    /// Writes the files to a fresh folder, loads them, and removes the folder (the tests leave nothing in /tmp).
    func load() throws -> Scenario {
        let directory = try write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try ScenarioLoader.load(directory: directory)
    }

    /// Loads and returns the diagnostics with the folder prefix removed, e.g. "needs.csv:2:1: ...".
    func diagnostics() -> [String] {
        let directory = try! write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var log = DiagnosticLog()
        _ = ScenarioLoader.load(directory: directory, log: &log)
        return log.sorted.map { $0.description.replacingOccurrences(of: directory + "/", with: "") }
    }

    func replacing(_ file: String, _ old: String, _ new: String) -> Fixture {
        var copy = self
        copy.files[file] = files[file]!.replacingOccurrences(of: old, with: new)
        return copy
    }
}

@Suite struct ScenarioLoaderTests {
    @Test func validScenarioLoadsEveryField() throws {
        let s = try Fixture().load()
        #expect(s.name == "Test programme")
        #expect(s.programme.budget == 50000)
        #expect(s.rules.leadDays == 1)
        #expect(s.rules.independence == .localAuthority)
        #expect(s.weights.expertise == 10)
        #expect(s.weights.continuity == Weights().continuity)
        #expect(s.schools.map(\.id) == ["100001", "100002"])
        #expect(s.schools[1].name == "Beta, Academy")
        #expect(s.schools[1].trust == "Beta Trust")
        #expect(s.schools[0].trust == nil)
        #expect(s.schools[1].inspectionGrade == nil)
        #expect(s.advisers[0].phases == [.primary, .secondary])
        #expect(s.advisers[0].level(in: "literacy") == 3)
        #expect(s.advisers[0].level(in: "maths") == 0)
        #expect(s.advisers[1].capacityDays == 10.5)
        #expect(s.needs.count == 3)
        #expect(s.needs[1].days == 2.5)
        #expect(s.fingerprint.hasPrefix("sha256:") && s.fingerprint.count == 71)
        #expect(s.inputFiles.count == 4)
        // Same bytes, same fingerprint, wherever the folder is.
        let again = try Fixture().load()
        #expect(again.fingerprint == s.fingerprint)
        let changed = try Fixture().replacing("needs.csv", "4,3", "5,3").load()
        #expect(changed.fingerprint != s.fingerprint)
    }

    @Test func bundledScenariosAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (name, schools, advisers) in [("knowsley-pathways", 29, 12), ("aspire-hub", 19, 0), ("six-school-trust", 6, 6)] {
            let s = try ScenarioLoader.load(directory: root.appendingPathComponent("scenarios/\(name)").path)
            #expect(s.schools.count == schools, "\(name)")
            if advisers > 0 { #expect(s.advisers.count == advisers, "\(name)") }
        }
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() throws {
        let broken = Fixture()
            .replacing("needs.csv", "100001,literacy,4,3", "100009,litracy,-4,7")
            .replacing("advisers.csv", "literacy:3;leadership:2,20", "literacy:5;leadership:2,abc")
        #expect(broken.diagnostics() == [
            "advisers.csv:2:54: expertise `literacy:5` must be written area:level with level 1, 2 or 3, e.g. literacy:3",
            "advisers.csv:2:78: `capacity_days` must be a number, found `abc`",
            "needs.csv:2:1: school 100009 is not in schools.csv",
            "needs.csv:2:8: unknown area `litracy`; did you mean `literacy`?",
            "needs.csv:2:16: `days` must be between 0 and 500, found -4",
            "needs.csv:2:19: `priority` must be between 1 and 3, found 7",
        ])
    }

    @Test func duplicatesAreReportedWithTheFirstLine() throws {
        let duplicateSchool = Fixture().replacing("schools.csv", "100002,\"Beta", "100001,\"Beta")
        #expect(duplicateSchool.diagnostics() == [
            "needs.csv:3:1: school 100002 is not in schools.csv",
            "needs.csv:4:1: school 100002 is not in schools.csv",
            "schools.csv:3:1: school id 100001 is listed twice (first on line 2)",
        ])
        let duplicateNeed = Fixture().replacing("needs.csv", "100002,leadership", "100002,literacy")
        #expect(duplicateNeed.diagnostics() == ["needs.csv:4:8: school 100002 already has a need in literacy (line 3); put the days on one row"])
        let duplicateAdviser = Fixture().replacing("advisers.csv", "A2,Bob", "A1,Bob")
        #expect(duplicateAdviser.diagnostics() == ["advisers.csv:3:1: adviser id A1 is listed twice (first on line 2)"])
    }

    @Test func absurdAndNegativeNumbersAreRejected() throws {
        let fixture = Fixture()
            .replacing("schools.csv", "210,40.5,2,53.41,-2.84", "-5,140,9,95,-2.84")
        #expect(fixture.diagnostics() == [
            "schools.csv:2:40: `pupils` must be between 0 and 5000, found -5",
            "schools.csv:2:43: `disadvantaged_pct` must be between 0 and 100, found 140",
            "schools.csv:2:47: `inspection_grade` must be between 1 and 4, found 9",
            "schools.csv:2:49: `latitude` must be between 49.8 and 60.9, found 95",
        ])
        let zeroCapacity = Fixture().replacing("advisers.csv", ",10.5,", ",0,")
        #expect(zeroCapacity.diagnostics() == ["advisers.csv:3:61: `capacity_days` must be more than 0; remove the adviser instead of giving them no days"])
        let halfHalf = Fixture().replacing("needs.csv", "2.5,2", "2.25,2")
        #expect(halfHalf.diagnostics() == ["needs.csv:3:17: `days` must be whole or half days, found 2.25"])
    }

    @Test func manifestProblemsNameTheKeyAndSuggestFixes() throws {
        let fixture = Fixture()
            .replacing("scenario.toml", "end = 2027-07-21", "end = 2026-08-01")
            .replacing("scenario.toml", "independence = \"local-authority\"", "independence = \"county\"")
            .replacing("scenario.toml", "max_travel_minutes = 60", "max_travel_minuts = 60")
            .replacing("scenario.toml", "[weights]", "[wieghts]")
        #expect(fixture.diagnostics() == [
            "scenario.toml:4:7: the programme must end after it starts (2026-09-01); found end = 2026-08-01",
            "scenario.toml:8:16: `rules.independence` must be one of none, trust, local-authority; found \"county\"",
            "scenario.toml:11:1: unknown setting `rules.max_travel_minuts`; did you mean `max_travel_minutes`?",
            "scenario.toml:13:1: unknown section `wieghts`; did you mean `[weights]`?",
        ])
        let wrongType = Fixture().replacing("scenario.toml", "budget = 50000", "budget = \"fifty thousand\"")
        #expect(wrongType.diagnostics() == ["scenario.toml:5:10: `programme.budget` must be a number; found a string"])
        let missingName = Fixture().replacing("scenario.toml", "name = \"Test programme\"", "")
        #expect(missingName.diagnostics() == ["scenario.toml:1:1: missing setting `name` in [programme]; add e.g. `name = \"...\"`"])
        // A value that cannot be read is one problem, not also a missing setting.
        let impossibleStart = Fixture().replacing("scenario.toml", "start = 2026-09-01", "start = 2026-02-30")
        #expect(impossibleStart.diagnostics() == ["scenario.toml:3:9: `2026-02-30` is not a real date (YYYY-MM-DD)"])
        let unreadableName = Fixture().replacing("scenario.toml", "name = \"Test programme\"", "name = Test programme")
        #expect(unreadableName.diagnostics().count == 1)
    }

    @Test func aBrokenRowIsOneProblemNotOnePerShiftedField() {
        // An unquoted comma shifts every later field of the row; a stray quote may too.
        let extraComma = Fixture().replacing("advisers.csv", "A2,Bob Best,serving headteacher", "A2,Bob Best,serving, headteacher")
        #expect(extraComma.diagnostics() == ["advisers.csv:3:74: this row has 14 fields but the header has 13; check for a missing or extra comma"])
        let unclosed = Fixture().replacing("needs.csv", "100001,literacy,4,3", "100001,\"literacy,4,3")
        #expect(unclosed.diagnostics() == ["needs.csv:2:8: a quoted field is never closed; add the missing \" or remove this one"])
        let strayQuote = Fixture().replacing("schools.csv", "100001,Alpha Primary,primary", "100001,Alpha \"Primary,primary")
        #expect(strayQuote.diagnostics() == [
            "schools.csv:2:14: a quote (\") inside an unquoted field; put the whole field in quotes and double the inner quote (\"\")",
        ])
    }

    @Test func aStrayQuoteInTheHeaderIsOneProblem() {
        // A column name replaced by a quote: the quote would swallow every line up to the next quote in the
        // file, and each column and row after it would be blamed in turn.
        let toTheNextQuote = Fixture().replacing("schools.csv", "trust,pupils", "trust,\",pupils")
        #expect(toTheNextQuote.diagnostics() == [
            "schools.csv:1:37: a quoted field opens here and runs on to line 3; remove this stray quote (\"), or close the field on this line",
        ])
        // No other quote in the file: the same, and adviser ids named elsewhere are not blamed for it.
        let toTheEnd = Fixture().replacing("advisers.csv", "home_latitude,home_longitude", "home_latitude,\"")
        #expect(toTheEnd.diagnostics() == ["advisers.csv:1:28: a quoted field is never closed; add the missing \" or remove this one"])
    }

    @Test func aFileSeparatedByTabsOrSemicolonsIsOneProblem() {
        var tabs = Fixture()
        tabs.files["needs.csv"] = tabs.files["needs.csv"]!.replacingOccurrences(of: ",", with: "\t")
        #expect(tabs.diagnostics() == ["needs.csv:1:1: the columns are separated by tabs, not commas; save the file as CSV (comma-separated)"])
        var semicolons = Fixture()
        semicolons.files["advisers.csv"] = semicolons.files["advisers.csv"]!.replacingOccurrences(of: ",", with: ";")
        #expect(semicolons.diagnostics() == ["advisers.csv:1:1: the columns are separated by semicolons, not commas; save the file as CSV (comma-separated)"])
    }

    @Test func aMissingOrRepeatedHeaderIsOneProblem() {
        // The header line deleted: the first school becomes the "header".
        let noHeader = Fixture().replacing("schools.csv", "id,name,phase,local_authority,trust,pupils,disadvantaged_pct,inspection_grade,latitude,longitude\n", "")
        #expect(noHeader.diagnostics() == [
            "schools.csv:1:1: the first row (`100001`, `Alpha Primary`, `primary`, ...) is not a header; add a header row with columns id, name, phase, local_authority, latitude, longitude",
        ])
        // A first row whose values happen to be near a column name (`maths`, three edits from `days`).
        let noNeedsHeader = Fixture().replacing("needs.csv", "school,area,days,priority\n", "")
            .replacing("needs.csv", "100001,literacy,4,3", "100001,maths,4,3")
        #expect(noNeedsHeader.diagnostics() == [
            "needs.csv:1:1: the first row (`100001`, `maths`, `4`, ...) is not a header; add a header row with columns school, area, days, priority",
        ])
        let repeated = Fixture().replacing("needs.csv", "100002,literacy,2.5,2", "school,area,days,priority\n100002,literacy,2.5,2")
        #expect(repeated.diagnostics() == ["needs.csv:3:1: the header row is repeated here; remove this line"])
        // A header whose every name is miswritten is still a header, with a suggestion per name.
        let capitalised = Fixture().replacing("needs.csv", "school,area,days,priority", "School,Area,Days,Priority")
        #expect(capitalised.diagnostics().contains("needs.csv:1:1: unknown column `School`; did you mean `school`?"))
        let manyQuotes = Fixture().replacing("schools.csv", "Alpha Primary", "Alpha \"Primary\" \"School\"")
        #expect(manyQuotes.diagnostics().count == 1)
    }

    @Test func candidateAdvisersIsAWholeNumberInRange() throws {
        let half = Fixture().replacing("scenario.toml", "max_travel_minutes = 60", "max_travel_minutes = 60\ncandidate_advisers = 2.5")
        #expect(half.diagnostics() == ["scenario.toml:12:22: `rules.candidate_advisers` must be a whole number of advisers per school, e.g. 10; found 2.5"])
        let none = Fixture().replacing("scenario.toml", "max_travel_minutes = 60", "max_travel_minutes = 60\ncandidate_advisers = 0")
        #expect(none.diagnostics().count == 1 && none.diagnostics()[0].hasPrefix("scenario.toml:12:22: `rules.candidate_advisers`"))
        let ten = Fixture().replacing("scenario.toml", "max_travel_minutes = 60", "max_travel_minutes = 60\ncandidate_advisers = 10")
        let directory = try ten.write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ScenarioLoader.load(directory: directory).rules.candidateAdvisers == 10)
    }

    @Test func emptyMissingAndNonUTF8FilesAreClearErrors() throws {
        var empty = Fixture()
        empty.files["needs.csv"] = ""
        #expect(empty.diagnostics() == ["needs.csv:1:1: the file is empty; expected a header row with columns school, area, days, priority"])
        var emptyManifest = Fixture()
        emptyManifest.files["scenario.toml"] = "# to be written\n"
        #expect(emptyManifest.diagnostics() == [
            "scenario.toml:1:1: the file is empty; a scenario needs at least [programme] with name, start and end (see README.md)",
        ])
        var missing = Fixture()
        missing.files["advisers.csv"] = nil
        #expect(missing.diagnostics() == ["advisers.csv:1:1: cannot read: the file does not exist"])
        let directory = try Fixture().write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var bytes = Array("id,name,phase,local_authority,latitude,longitude\n1,Caf".utf8)
        bytes += [0xE9]  // Windows-1252 é
        bytes += Array(",primary,Knowsley,53.4,-2.8\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/schools.csv"))
        var log = DiagnosticLog()
        _ = ScenarioLoader.load(directory: directory, log: &log)
        #expect(log.sorted.first?.description == directory + "/schools.csv:2:6: the file is not UTF-8 text; save it as \"CSV UTF-8\" (or UTF-8 text)")
    }

    @Test func rosterAndTravelReferToKnownIDs() throws {
        var fixture = Fixture()
        fixture.files["roster.csv"] = "adviser,school,role\nA1,100001,lead\nA3,100002,lead\nA2,100001,boss\nA2,100001,specialist\nA1,100001,specialist\n"
        fixture.files["travel.csv"] = "adviser,school,minutes\nA1,100001,25\nA1,100001,30\nA2,999,10\n"
        #expect(fixture.diagnostics() == [
            "roster.csv:3:1: adviser A3 is not in advisers.csv; did you mean A1?",
            "roster.csv:4:11: `role` must be lead or specialist, found `boss`",
            "roster.csv:6:1: adviser A1 and school 100001 are paired twice (first on line 2)",
            "travel.csv:3:1: travel from A1 to 100001 is given twice (first on line 2)",
            "travel.csv:4:4: school 999 is not in schools.csv",
        ])
        var good = Fixture()
        good.files["travel.csv"] = "adviser,school,minutes\nA1,100001,25\n"
        let s = try good.load()
        #expect(s.travelMinutes(s.advisers[0], s.schools[0]) == 25)
        #expect(abs(s.travelMinutes(s.advisers[0], s.schools[1]) - s.travel.minutes(from: s.advisers[0].home, to: s.schools[1].location)) < 1e-12)
    }
}

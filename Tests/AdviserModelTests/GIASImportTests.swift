import Foundation
import Testing
@testable import AdviserModel

/// A hand-written GIAS export: GIAS's own column names and quoting, a subset of its 111 columns in its order,
/// and its habit of spilling several `Linked establishments` into extra fields (line 10).
private let giasHeader = #""URN","LA (name)","EstablishmentName","TypeOfEstablishment (name)","EstablishmentStatus (name)","PhaseOfEducation (name)","NumberOfPupils","PercentageFSM","Trusts (name)","Easting","Northing","OfstedRating (name)","Linked establishments""#

private let giasRows = [
    #""135796","Knowsley","Hope Primary School","Academy converter","Open","Primary","212","41.3","Hope, Faith and Charity Trust",342713,396541,"Good","""#,
    #""104429","Knowsley","Park Brow Community Primary School","Community school","Open","Primary","SUPP","48.2","",345000,392000,"Requires improvement","""#,
    #""104473","Knowsley","Old Hall Primary School","Community school","Closed","Primary","","","",347123,393456,"","""#,
    #""136222","Knowsley","Kirkby High School","Academy sponsor led","Open","Middle deemed secondary","1500","NE","Lift Trust",341000,398000,"Special Measures","""#,
    #""104500","Knowsley","Knowsley Central School","Community special school","Open, but proposed to close","Not applicable","120","60","",351200,386300,"Outstanding","""#,
    #""130520","Knowsley","Knowsley Community College","Further education","Open","16 plus","","","",344321,394567,"","""#,
    #""111111","Halton","Widnes Primary","Community school","Open","Primary","300","20","",351000,385000,"Good","""#,
    #""104444","Knowsley","Nowhere Primary School","Community school","Open","Primary","100","10","","","","Good","""#,
    #""140001","Knowsley","Halewood Academy","Academy converter","Open","Secondary","900","30.5","Halewood Trust",344321,394567,"Insufficient evidence","140000 Predecessor","139000 Predecessor""#,
]

private let giasExport = ([giasHeader] + giasRows).joined(separator: "\r\n") + "\r\n"

private func read(_ text: String, _ options: GIASImport.Options) throws -> GIASImport.Result {
    try GIASImport.read(text, file: "export.csv", options: options)
}

private func read(_ options: GIASImport.Options) throws -> GIASImport.Result { try read(giasExport, options) }

/// The error `body` throws, for checking its message.
private func importError(_ body: () throws -> Void) -> GIASImport.ImportError? {
    do { try body() } catch let error as GIASImport.ImportError { return error } catch { return nil }
    return nil
}

private let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/data/schools/gias_full_schema_sample_hampshire_surrey_20220420.csv").standardizedFileURL.path

@Suite struct GIASImportTests {
    @Test func writesTheSchoolsTheLoaderReadsExactly() throws {
        let result = try read(.init(localAuthorities: ["knowsley"]))
        // URN order; the trust with a comma quoted; blanks where GIAS had nothing usable; special school by type;
        // middle deemed secondary as secondary; serious-weakness and special-measures categories are grade 4.
        #expect(GIASImport.schoolsCSV(result.schools) == """
        id,name,phase,local_authority,trust,pupils,disadvantaged_pct,inspection_grade,latitude,longitude
        104429,Park Brow Community Primary School,primary,Knowsley,,,48.2,3,53.42191,-2.82909
        104473,Old Hall Primary School,primary,Knowsley,,,,,53.43522,-2.79739
        104500,Knowsley Central School,special,Knowsley,,120,60,1,53.37130,-2.73492
        135796,Hope Primary School,primary,Knowsley,"Hope, Faith and Charity Trust",212,41.3,2,53.46248,-2.86432
        136222,Kirkby High School,secondary,Knowsley,Lift Trust,1500,,4,53.47541,-2.89040
        140001,Halewood Academy,secondary,Knowsley,Halewood Trust,900,30.5,,53.44491,-2.83976

        """)
    }

    @Test func everyMissingOrSuppressedValueIsWarnedWithItsPlaceAndURN() throws {
        let result = try read(.init(localAuthorities: ["Knowsley"]))
        #expect(result.warnings.map(\.description) == [
            "export.csv:3:94: URN 104429 (Park Brow Community Primary School): `NumberOfPupils` is `SUPP` (suppressed or not available), not a number; `pupils` is left blank",
            "export.csv:4:85: URN 104473 (Old Hall Primary School): `NumberOfPupils` is blank; `pupils` is left blank",
            "export.csv:4:88: URN 104473 (Old Hall Primary School): `PercentageFSM` is blank; `disadvantaged_pct` is left blank (the plan then gives the school no extra weight for disadvantage)",
            "export.csv:5:104: URN 136222 (Kirkby High School): `PercentageFSM` is `NE` (suppressed or not available), not a number; `disadvantaged_pct` is left blank (the plan then gives the school no extra weight for disadvantage)",
            "export.csv:6:74: URN 104500 (Knowsley Central School) is open but proposed to close; it is kept",
            "export.csv:9:96: URN 104444 (Nowhere Primary School): `Easting` and `Northing` are blank, so the school cannot be placed on the map; it is skipped (add it to schools.csv by hand, with latitude and longitude, if it belongs in the programme)",
            "export.csv:10:123: URN 140001 (Halewood Academy): `OfstedRating (name)` `Insufficient evidence` is not one of Outstanding, Good, Requires improvement, Inadequate (Serious Weaknesses, Special Measures); `inspection_grade` is left blank",
        ])
        #expect(result.summary.lines == [
            "Read 9 establishments from export.csv (UTF-8).",
            "Kept 6: Knowsley 6; primary 3, secondary 2, special 1.",
            "Skipped 3:",
            "  1 in another local authority",
            "  1 a phase the planner does not use: `16 plus` (Further education) 1",
            "  1 no usable coordinates",
            "1 kept school is not open (closed or proposed to open); add --open-only to leave them out.",
            "Left blank where GIAS has no usable value: pupils for 2, disadvantaged_pct for 2 (each school is named in a warning).",
            "No Ofsted rating in GIAS for 1 kept school (not yet inspected, or no overall grade): inspection_grade is blank.",
        ])
    }

    @Test func filtersByAuthorityPhaseAndStatus() throws {
        let open = try read(.init(localAuthorities: ["Knowsley", "HALTON"], openOnly: true))
        #expect(open.schools.map(\.id) == ["104429", "104500", "111111", "135796", "136222", "140001"])
        #expect(open.summary.skipped == [.notOpen: 1, .noPlannablePhase: 1, .noCoordinates: 1])
        let secondary = try read(.init(localAuthorities: ["Knowsley"], phases: [.secondary, .special]))
        #expect(secondary.schools.map(\.id) == ["104500", "136222", "140001"])
        #expect(secondary.summary.skipped[.otherPhase] == 4)
        // Phases are filtered before coordinates are read: the primary without any is not warned about.
        #expect(secondary.summary.skipped[.noCoordinates] == nil)
        #expect(!secondary.warnings.contains { $0.message.contains("104444") })
    }

    @Test func phasesAreTheLoadersWithAHintForATypo() throws {
        #expect(try GIASImport.phases(["primary,secondary", "Special", "all through"]) == [.primary, .secondary, .allThrough, .special])
        let error = importError { _ = try GIASImport.phases(["primary,primery"]) }
        #expect(error == .unknownPhase(name: "primery", suggestion: "primary"))
        #expect(error?.description == "--phase primery: not a phase; expected primary, secondary, all-through, special, alternative-provision, nursery (did you mean `primary`?)")
    }

    @Test func anUnknownAuthorityIsAnErrorNamingTheClosest() {
        let typo = importError { _ = try read(.init(localAuthorities: ["Knowsley", "Knowsly"])) }
        #expect(typo?.description == "--la Knowsly: no establishment in export.csv is in that local authority; did you mean `Knowsley`?")
        let far = importError { _ = try read(.init(localAuthorities: ["Hampshire"])) }
        #expect(far?.description == "--la Hampshire: no establishment in export.csv is in that local authority; the export's local authorities are Halton, Knowsley")
        let names = ["Bristol, City of", "Kingston upon Hull, City of", "Knowsley"]
        #expect(GIASImport.closestAuthorities(to: "hull", in: names) == ["Kingston upon Hull, City of"])
    }

    @Test func aFileThatIsNotAGIASExportIsRefusedAtItsHeader() {
        let schools = "id,name,phase,local_authority,latitude,longitude\n104429,Park Brow,primary,Knowsley,53.4,-2.8\n"
        let error = importError { _ = try read(schools, .init()) }
        #expect(error?.description == "export.csv:1:1: this is not a Get Information about Schools export: missing columns `URN`, `EstablishmentName`, `LA (name)`, `PhaseOfEducation (name)`, `Easting`, `Northing` in the header; GIAS exports name them `URN`, `EstablishmentName`, `LA (name)`, `PhaseOfEducation (name)`, `Easting`, `Northing`")
        // A near miss is pointed out; --open-only needs the status column.
        let renamed = giasExport.replacingOccurrences(of: "\"LA (name)\"", with: "\"LA name\"")
            .replacingOccurrences(of: "\"EstablishmentStatus (name)\"", with: "\"Status\"")
        let near = importError { _ = try read(renamed, .init(openOnly: true)) }
        #expect(near?.description == "export.csv:1:1: missing columns `LA (name)` (is `LA name` it?), `EstablishmentStatus (name)` in the header; GIAS exports name them `URN`, `EstablishmentName`, `LA (name)`, `PhaseOfEducation (name)`, `Easting`, `Northing`")
    }

    @Test func missingOptionalColumnsAreWarnedOnceAndLeftBlank() throws {
        let text = "URN,EstablishmentName,LA (name),PhaseOfEducation (name),Easting,Northing\n135796,Hope Primary School,Knowsley,Primary,342713,396541\n"
        let result = try read(text, .init(localAuthorities: ["Knowsley"]))
        #expect(GIASImport.schoolsCSV(result.schools).hasSuffix("\n135796,Hope Primary School,primary,Knowsley,,,,,53.46248,-2.86432\n"))
        #expect(result.warnings.map(\.description) == [
            "export.csv:1:1: column `NumberOfPupils` is not in the export; `pupils` is left blank for every school",
            "export.csv:1:1: column `OfstedRating (name)` is not in the export; `inspection_grade` is left blank for every school",
            "export.csv:1:1: column `PercentageFSM` is not in the export; `disadvantaged_pct` is left blank for every school",
            "export.csv:1:1: column `Trusts (name)` is not in the export; `trust` is left blank for every school",
            "export.csv:1:1: column `TypeOfEstablishment (name)` is not in the export; special schools and pupil referral units are told apart by `PhaseOfEducation (name)` alone",
        ])
    }

    @Test func aShortRowOrBrokenQuotingIsAnErrorWithItsPlace() {
        let short = giasExport + #""150000","Knowsley","Short Row","Community school","Open""# + "\r\n"
        #expect(importError { _ = try read(short, .init()) }?.description
                == "export.csv:11:52: this row has 5 fields but the header has 13; the export is damaged: download it again")
        let quote = giasExport + #""150000","Know"sley""# + "\r\n"
        #expect(importError { _ = try read(quote, .init()) } == .invalid([
            // One quoting message per row: the first problem is the one to fix.
            Diagnostic(file: "export.csv", line: 11, column: 16, message: "unexpected text after a closing quote; a quoted field must end at a comma or line end"),
        ]))
    }

    @Test func badValuesAreWarnedNotZeroed() throws {
        let rows = giasRows[0]
            .replacingOccurrences(of: #""212","41.3""#, with: #""6200","x""#)
            .replacingOccurrences(of: "342713,396541", with: "342713,abc")
        let result = try? read(([giasHeader, rows, giasRows[1]]).joined(separator: "\n"), .init())
        #expect(result?.schools.map(\.id) == ["104429"])
        #expect(result?.warnings.first?.message == "URN 135796 (Hope Primary School): `Northing` must be metres on the British National Grid (0-1300000), found `abc`; the school is skipped")
        // GIAS writes 0, 0 for a school it cannot place (a closed school in the Hampshire and Surrey file has it).
        let zero = try read([giasHeader, giasRows[0].replacingOccurrences(of: "342713,396541", with: "0,0"), giasRows[1]].joined(separator: "\n"), .init())
        #expect(zero.schools.map(\.id) == ["104429"])
        #expect(zero.warnings.first?.description == "export.csv:2:125: URN 135796 (Hope Primary School): `Easting` and `Northing` are 0, GIAS's mark for a school it has no location for; it is skipped (add it to schools.csv by hand, with latitude and longitude, if it belongs in the programme)")
        let kept = giasRows[0].replacingOccurrences(of: #""212","41.3""#, with: #""6200","x""#)
        let warned = try read(([giasHeader, kept]).joined(separator: "\n"), .init())
        #expect(warned.schools[0].pupils == nil && warned.schools[0].disadvantagedPercent == nil)
        #expect(warned.warnings.map(\.message) == [
            "URN 135796 (Hope Primary School): `NumberOfPupils` 6200 is outside 0-5000, the range schools.csv accepts; `pupils` is left blank",
            "URN 135796 (Hope Primary School): `PercentageFSM` is `x` (suppressed or not available), not a number; `disadvantaged_pct` is left blank (the plan then gives the school no extra weight for disadvantage)",
        ])
    }

    @Test func blankAndRepeatedIdsAndNamesAreSkippedWithWarnings() throws {
        let text = [giasHeader, giasRows[0],
                    giasRows[0].replacingOccurrences(of: "Hope Primary School", with: "Hope Again"),
                    giasRows[1].replacingOccurrences(of: #""104429""#, with: #""""#),
                    giasRows[3].replacingOccurrences(of: "Kirkby High School", with: ""),
                    giasRows[6].replacingOccurrences(of: #""111111""#, with: #""""#)].joined(separator: "\n")
        let result = try read(text, .init(localAuthorities: ["Knowsley"]))
        #expect(result.schools.map(\.name) == ["Hope Primary School"])
        #expect(result.summary.skipped == [.duplicateURN: 1, .noURN: 1, .noName: 1, .otherLocalAuthority: 1])
        // The Halton row without a URN was not asked for, so it is not warned about.
        #expect(result.warnings.map(\.description) == [
            "export.csv:3:1: URN 135796 (Hope Again) is listed twice (first on line 2); the second row is skipped",
            "export.csv:4:1: `URN` is blank, so the school has no id; the row is skipped",
            "export.csv:5:21: URN 136222: `EstablishmentName` is blank; the row is skipped",
        ])
    }

    @Test func giasPhasesMapToThePlannersPhases() {
        #expect(GIASImport.plannedPhase(phase: "Primary", type: "Community school") == .primary)
        #expect(GIASImport.plannedPhase(phase: "Middle deemed primary", type: "Community school") == .primary)
        #expect(GIASImport.plannedPhase(phase: "Middle deemed secondary", type: "Academy converter") == .secondary)
        #expect(GIASImport.plannedPhase(phase: "All-through", type: "Free schools") == .allThrough)
        #expect(GIASImport.plannedPhase(phase: "Nursery", type: "Local authority nursery school") == .nursery)
        #expect(GIASImport.plannedPhase(phase: "Secondary", type: "Academy special converter") == .special)
        #expect(GIASImport.plannedPhase(phase: "Not applicable", type: "Pupil referral unit") == .alternativeProvision)
        #expect(GIASImport.plannedPhase(phase: "Not applicable", type: "Academy alternative provision sponsor led") == .alternativeProvision)
        #expect(GIASImport.plannedPhase(phase: "16 plus", type: "Special post 16 institution") == nil)
        #expect(GIASImport.plannedPhase(phase: "Not applicable", type: "Other independent school") == nil)
    }

    @Test func windows1252AndUTF8AreBothRead() throws {
        // "École St Mary’s" in Windows-1252: É is 0xC9, the apostrophe 0x92.
        var bytes = Array("URN,EstablishmentName\n1,".utf8) + [0xC9] + Array("cole St Mary".utf8) + [0x92] + Array("s\n".utf8)
        let (text, encoding) = try GIASImport.decode(Data(bytes), file: "x.csv")
        #expect(encoding == .windows1252)
        #expect(text == "URN,EstablishmentName\n1,École St Mary’s\n")
        bytes = [0xEF, 0xBB, 0xBF] + Array("URN\n1,École\n".utf8)
        let utf8 = try GIASImport.decode(Data(bytes), file: "x.csv")
        #expect(utf8.encoding == .utf8 && utf8.text == "\u{FEFF}URN\n1,École\n")
        #expect(GIASImport.windows1252((0x80...0x9F).map { UInt8($0) }).unicodeScalars.map(\.value) == [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178])
    }

    @Test func workbooksAndUTF16AreRefusedWithAWayOut() {
        let xlsx = importError { _ = try GIASImport.decode(Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]), file: "x.xlsx") }
        #expect(xlsx?.description.hasPrefix("x.xlsx: not a CSV file: it is a zip file, probably an Excel workbook (.xlsx)") == true)
        let utf16 = importError { _ = try GIASImport.decode(Data([0xFF, 0xFE, 0x55, 0x00, 0x52, 0x00]), file: "x.txt") }
        #expect(utf16 == .notCSV(file: "x.txt", reason: "it holds zero bytes, so it is UTF-16 (\"Unicode Text\") or binary, not CSV text"))
        #expect(importError { _ = try GIASImport.decode(Data(), file: "e.csv") } == .notCSV(file: "e.csv", reason: "the file is empty"))
    }

    @Test func urnsSortAsNumbers() {
        #expect(["100000", "99999", "A1", "140001"].sorted(by: GIASImport.urnOrder) == ["99999", "100000", "140001", "A1"])
        #expect(GIASImport.fixed(-0.000001, 5) == "0.00000" && GIASImport.fixed(51.261235, 5) == "51.26124" && GIASImport.fixed(-2.5, 5) == "-2.50000")
    }

    // MARK: The genuine Hampshire and Surrey export

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sample)))
    func theRealExportImportsAndLoadsWithAGeneratedAdviserPool() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: sample))
        let (text, encoding) = try GIASImport.decode(data, file: "gias.csv")
        #expect(encoding == .utf8)
        let result = try GIASImport.read(text, file: "gias.csv", options: .init(localAuthorities: ["Hampshire", "Surrey"], openOnly: true))
        #expect(result.summary.rowsRead == 1096)
        #expect(result.summary.kept == 728)
        #expect(result.summary.keptByLocalAuthority == ["Hampshire": 427, "Surrey": 301])
        #expect(result.summary.keptByPhase == [.primary: 724, .allThrough: 4])
        #expect(result.summary.skipped == [.notOpen: 368])
        // 11 new academies have no census figures yet; two schools are open but proposed to close.
        #expect(result.warnings.count == 24)
        #expect(result.warnings.filter { $0.message.contains("`NumberOfPupils` is blank") }.count == 11)
        let csv = GIASImport.schoolsCSV(result.schools)
        #expect(csv.contains("\n116407,The Westgate School,all-through,Hampshire,,1623,6.5,2,51.06812,-1.33033\n"))
        #expect(csv.contains("\n138226,Cobham Free School,all-through,Surrey,COBHAM FREE SCHOOL TRUST,642,13,2,51.33938,-0.39697\n"))
        // Every school lands in Hampshire or Surrey (a datum or projection slip would move them by 100 m to 100s of km).
        for s in result.schools {
            #expect((50.7...51.5).contains(s.location.latitude) && (-1.96...0.06).contains(s.location.longitude), "\(s.id)")
        }

        // The file is a scenario's schools.csv: beside a generated adviser pool and one need per school, it loads.
        let generated = try ScenarioGenerator.generate(schools: 5, advisers: 20, seed: 3)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gias-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var pool = generated
        pool.advisers = pool.advisers.map { var a = $0; a.homeSchool = nil; return a }
        try ScenarioWriter.manifest(pool).write(toFile: folder + "/scenario.toml", atomically: true, encoding: .utf8)
        try ScenarioWriter.advisersCSV(pool).write(toFile: folder + "/advisers.csv", atomically: true, encoding: .utf8)
        try ScenarioWriter.availabilityCSV(pool).write(toFile: folder + "/availability.csv", atomically: true, encoding: .utf8)
        try ScenarioWriter.leaveCSV(pool).write(toFile: folder + "/leave.csv", atomically: true, encoding: .utf8)
        try "school,start,end,reason\n".write(toFile: folder + "/closures.csv", atomically: true, encoding: .utf8)
        try csv.write(toFile: folder + "/schools.csv", atomically: true, encoding: .utf8)
        let needs = "school,area,days,priority\n" + result.schools.map { "\($0.id),literacy,2,2\n" }.joined()
        try needs.write(toFile: folder + "/needs.csv", atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.load(directory: folder)
        #expect(scenario.schools.count == 728)
        #expect(scenario.advisers.count == 20)
        let westgate = scenario.school("116407")
        #expect(westgate?.phase == .allThrough && westgate?.pupils == 1623 && westgate?.inspectionGrade == 2)
        #expect(westgate?.location == GeoPoint(latitude: 51.06812, longitude: -1.33033))
    }
}

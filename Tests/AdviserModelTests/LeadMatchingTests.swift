import Testing
@testable import AdviserModel

struct LeadMatchingTests {
    /// S0 may be led by A0 or A1, S1 and S2 only by A1 or A2, each with one place. Taken greedily in file order
    /// S0 takes A1, S1 takes A2 and S2 is left; the alternating path S2 -> A1 -> S0 -> A0 moves S0 to A0.
    @Test func anAlternatingPathMakesRoom() {
        let matching = LeadMatching(options: [[1, 0], [1, 2], [1, 2]], places: [1, 1, 1])
        #expect(matching.everySchoolLed)
        #expect(matching.leadOf == [0, 2, 1])
    }

    /// Three schools that only A0 and A1 may lead, one place each, and a fourth school of A2's: the group of three
    /// is named, and A2 (with room to spare) is not in it.
    @Test func aGroupShortOfPlacesIsNamed() {
        let matching = LeadMatching(options: [[0, 1], [0, 1], [0], [2]], places: [1, 1, 3])
        #expect(!matching.everySchoolLed)
        #expect(matching.shortfalls == [LeadMatching.Shortfall(schools: [0, 1, 2], advisers: [0, 1], places: 2)])
        #expect(matching.leadOf.filter { $0 == nil }.count == 1)
        #expect(matching.leadOf[3] == 2)
    }

    /// Two unled schools whose searches reach the same full adviser make one group, short by two; a school that
    /// nobody may lead is a group of its own, with no advisers.
    @Test func searchesThatMeetMakeOneGroup() {
        let matching = LeadMatching(options: [[0], [0], [0], [], [1]], places: [1, 2])
        #expect(matching.shortfalls == [
            LeadMatching.Shortfall(schools: [0, 1, 2], advisers: [0], places: 1),
            LeadMatching.Shortfall(schools: [3], advisers: [], places: 0),
        ])
    }

    /// Against every assignment of leads, on random small instances: the same answer to "can every school be led",
    /// a matching that keeps to the options and places, and groups that really are short (every option of their
    /// schools among their advisers, more schools than places, short by exactly the schools left unled).
    @Test func agreesWithEveryAssignment() {
        var rng = SplitMix64(seed: 11, stream: 1)
        for instance in 0..<400 {
            let schools = rng.int(1...6), advisers = rng.int(1...4)
            let places = (0..<advisers).map { _ in rng.int(0...2) }
            let options = (0..<schools).map { _ in (0..<advisers).filter { _ in rng.chance(0.45) } }
            let matching = LeadMatching(options: options, places: places)
            #expect(matching.everySchoolLed == Self.everySchoolCanBeLed(options, places, from: 0, used: places.map { _ in 0 }),
                    "instance \(instance): \(options) \(places)")
            var used = places.map { _ in 0 }
            for (school, lead) in matching.leadOf.enumerated() {
                guard let lead else { continue }
                #expect(options[school].contains(lead))
                used[lead] += 1
            }
            #expect(zip(used, places).allSatisfy { $0 <= $1 })
            var unled = 0
            for shortfall in matching.shortfalls {
                #expect(shortfall.schools.count > shortfall.places)
                #expect(shortfall.places == shortfall.advisers.reduce(0) { $0 + places[$1] })
                for school in shortfall.schools { #expect(Set(options[school]).isSubset(of: shortfall.advisers)) }
                unled += shortfall.schools.count - shortfall.places
            }
            #expect(unled == matching.leadOf.filter { $0 == nil }.count, "instance \(instance): \(options) \(places)")
            // The most schools led at once: no assignment leads more.
            #expect(matching.leadOf.compactMap { $0 }.count == Self.mostLed(options, places, from: 0, used: places.map { _ in 0 }))
        }
    }

    static func everySchoolCanBeLed(_ options: [[Int]], _ places: [Int], from school: Int, used: [Int]) -> Bool {
        mostLed(options, places, from: school, used: used) == options.count - school
    }

    static func mostLed(_ options: [[Int]], _ places: [Int], from school: Int, used: [Int]) -> Int {
        guard school < options.count else { return 0 }
        var best = mostLed(options, places, from: school + 1, used: used)
        for adviser in options[school] where used[adviser] < places[adviser] {
            var next = used
            next[adviser] += 1
            best = max(best, 1 + mostLed(options, places, from: school + 1, used: next))
        }
        return best
    }
}

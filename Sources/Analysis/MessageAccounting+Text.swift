/// The run's message counts in words, with the names `summary.json` uses (see docs/summary.md).
extension MessageAccounting {
    /// For the reports: where every addressed copy went, each count named for what it counts.
    public var sentence: String {
        "\(sent) addressed = \(sentToPeers) sent to a connected peer + \(dropped) dropped (recipient down); "
            + "of those, \(received) received, \(unprocessed) unprocessed at stop (still queued), "
            + "\(lostToFault) lost to a fault, \(lostToCrash) lost to a crash, \(lostWithLink) lost with a broken "
            + "link (written into a link that was already dead), \(unaccounted) unaccounted; "
            + "\(duplicated) duplicate copies (extra copies made by a fault, in none of the other counts)"
    }

    /// For the terminal: three lines under 100 columns for the counts of a 10,000-VM run.
    var terminalLines: [String] {
        [
            "messages (copies, one per recipient): \(sent) addressed = \(sentToPeers) sent + \(dropped) dropped",
            "  \(received) received, \(unprocessed) unprocessed at stop, \(unaccounted) unaccounted",
            "  \(lostToFault) lost to a fault, \(lostToCrash) lost to a crash, "
                + (lostWithLink > 0 ? "\(lostWithLink) lost with a broken link, " : "")
                + "\(duplicated) duplicate copies",
        ]
    }
}

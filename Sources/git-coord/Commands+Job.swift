import ArgumentParser

extension GitCoordCommand {
    static let jobCommands: [any ParsableCommand.Type] = []
}

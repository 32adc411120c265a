namespace ImagingRepo.Service.Storage;

/// <summary>
/// One versioned schema change of a component (<c>service</c>, or another part of the service that keeps its own
/// tables): its statements run in one transaction with the row that records it, so a migration is applied whole or not.
/// </summary>
/// <param name="Component">Whose tables these are; versions count per component.</param>
/// <param name="Version">1, 2, … in the order they apply.</param>
/// <param name="Description">What the migration does.</param>
/// <param name="Statements">The SQL, valid on SQLite and on PostgreSQL.</param>
internal sealed record Migration(string Component, int Version, string Description, IReadOnlyList<string> Statements);

/// <summary>A source of migrations, registered in the container; the runner applies the migrations of every source.</summary>
internal interface IMigrationSource
{
    /// <summary>The migrations, any order (the runner sorts them by version).</summary>
    IEnumerable<Migration> Migrations { get; }
}

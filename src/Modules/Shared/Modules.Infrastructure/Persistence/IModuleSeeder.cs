namespace ChaosModular.Modules.Infrastructure.Persistence;

/// <summary>
/// Data a module must have once its schema is migrated (the catalog file, the demo customer when <c>Seed:Demo</c>
/// is on). Runs at start-up in the process that migrates; must be safe to run again.
/// </summary>
/// <remarks>
/// A start skips a module's seeders when they already ran on this database with the same build of the module and the
/// same inputs (<see cref="SeedRecord"/>): the <c>Seed</c> settings, and whatever else a seeder names in
/// <see cref="InputsAsync"/>.
/// </remarks>
public interface IModuleSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// What the seed depends on besides the module's code and the <c>Seed</c> settings (for example a data file's
    /// contents); a change runs the module's seeders again at the next start. Null: nothing else.
    /// </summary>
    ValueTask<string?> InputsAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}

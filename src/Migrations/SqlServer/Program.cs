using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ChaosModular.Migrations.SqlServer;

/// <summary>
/// dotnet ef runs this project (both --project and --startup-project) and finds every module's DbContext on
/// this provider in the host it builds. At run time the hosts load this assembly only for its migrations.
/// Run on its own with <c>--script DIRECTORY</c> it writes each module's idempotent migration script
/// (<c>Accounts.sql</c>, …), what <c>dotnet ef migrations script --idempotent</c> writes, for every module in one process.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--script", var directory])
        {
            WriteScripts(directory);
            return;
        }
        DesignTimeHost.Build(args, DatabaseProvider.SqlServer);
    }

    private static void WriteScripts(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var module in ModuleList.All)
        {
            using var context = DesignTimeDatabase.Create(module.DbContextType, DatabaseProvider.SqlServer, module.Name);
            var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
            var name = module.DbContextType.Name[..^"DbContext".Length];
            File.WriteAllText(Path.Combine(directory, $"{name}.sql"), script);
            Console.WriteLine($"{name}: {context.Database.GetMigrations().Count()} migration(s)");
        }
    }
}

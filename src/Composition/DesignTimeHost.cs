using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChaosModular.Composition;

/// <summary>
/// What <c>dotnet ef</c> starts in a migrations project: a host holding the options of every module's DbContext
/// on that project's provider. EF finds the contexts among the host's <see cref="DbContextOptions"/> and builds
/// each one from them, so a new module needs no design-time factory of its own.
/// </summary>
public static class DesignTimeHost
{
    public static IHost Build(string[] args, DatabaseProvider provider)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, EnvironmentName = "DesignTime" });
        foreach (var module in ModuleList.All)
        {
            var options = DesignTimeDatabase.Options(module.DbContextType, provider, module.Name);
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(options.GetType(), options);
        }
        return builder.Build();
    }
}

using ChaosModular.UnitTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>
/// The suite's hosts must not each hold a file watcher: Linux gives a user 128 inotify instances and the suite starts
/// hundreds of hosts (CI failed with "The configured user limit (128) on the number of inotify instances has been
/// reached" when they did).
/// </summary>
public sealed class TestHostFileWatchTests
{
    [Fact]
    public void A_test_host_reads_its_settings_files_without_watching_them()
    {
        using var factory = new SqlitePortalFactory();
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<JsonConfigurationProvider>().ToList();

        Assert.Contains(files, file => file.Source.Path == "appsettings.json");
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
    }

    [Fact]
    public async Task A_test_host_serving_pages_with_stamped_assets_opens_no_inotify_instance()
    {
        var before = InotifyInstances();
        await using var factory = new SqlitePortalFactory();
        var client = factory.CreatePortalClient();

        // The layout stamps its stylesheets and scripts (asp-append-version): the web root's provider watches each file.
        var page = await client.GetStringAsync(new Uri("/sign-in", UriKind.Relative));
        await client.GetStringAsync(new Uri("/sign-up", UriKind.Relative));

        Assert.Contains("site.css?v=", page, StringComparison.Ordinal);
        Assert.Equal(before, InotifyInstances());
    }

    /// <summary>This process's inotify instances: its file descriptors that are inotify handles.</summary>
    private static int InotifyInstances() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget == "anon_inode:inotify");
}

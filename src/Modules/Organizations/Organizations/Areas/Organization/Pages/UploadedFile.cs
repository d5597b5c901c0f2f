using Microsoft.AspNetCore.Http;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Reads an uploaded CSV file, never more than one byte past the limit (the rules then say it is too large).</summary>
internal static class UploadedFile
{
    public static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        await using var stream = file.OpenReadStream();
        var buffer = new byte[Math.Min(file.Length, CsvFile.MaxBytes + 1)];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }
}

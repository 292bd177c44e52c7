using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Exai.Supabase.Testing.Internal;

/// <summary>Asks the Docker engine for <c>/_ping</c> with a short deadline, so a missing engine costs no time.</summary>
internal static class DockerProbe
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public static async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            EndPoint endPoint;
            if (string.IsNullOrEmpty(host))
            {
                const string socket = "/var/run/docker.sock";
                if (!File.Exists(socket))
                {
                    return false;
                }

                endPoint = new UnixDomainSocketEndPoint(socket);
            }
            else if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                endPoint = new UnixDomainSocketEndPoint(host["unix://".Length..]);
            }
            else if (Uri.TryCreate(host.Replace("tcp://", "http://", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                endPoint = new DnsEndPoint(uri.Host, uri.Port);
            }
            else
            {
                return false;
            }

            using var socketClient = endPoint is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socketClient.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            await socketClient.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await socketClient.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MzDeploy.Emulator.Postgres;

/// <summary>
/// The real PostgreSQL 15 behind the emulator: initdb into a data folder when it holds no cluster yet,
/// start on a private unix socket (no TCP at all), stop. As root every server program runs as the
/// unprivileged <c>postgres</c> user through <c>runuser</c>, because initdb, pg_ctl and postgres refuse root.
/// </summary>
/// <remarks>
/// Layout under the data folder: <c>pgdata/</c> (the cluster, mode 700) and <c>run/</c> (socket and
/// <c>postgres.log</c>); both are owned by the server user. When the socket path would exceed the
/// unix-socket limit, the socket moves to a short folder under /tmp named after the data folder.
/// </remarks>
internal sealed class PostgresServer
{
    /// <summary>Port number of the private socket; it only names the socket file, nothing listens on TCP.</summary>
    public const int SocketPort = 5432;

    /// <summary>The PostgreSQL database that holds every emulated Materialize database.</summary>
    public const string DatabaseName = "materialize";

    /// <summary>The bootstrap superuser the emulator itself connects as.</summary>
    public const string AdminUser = "postgres";

    private const string ServerUser = "postgres";
    private readonly string _binDir;
    private readonly bool _asRoot;

    public PostgresServer(string dataRoot, string? binDir = null)
    {
        DataRoot = Path.GetFullPath(dataRoot);
        _binDir = binDir ?? Environment.GetEnvironmentVariable("MZ_EMULATOR_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
        _asRoot = Native.geteuid() == 0;
        PgData = Path.Combine(DataRoot, "pgdata");
        RunDir = Path.Combine(DataRoot, "run");
        SocketDir = Encoding.UTF8.GetByteCount(Path.Combine(RunDir, $".s.PGSQL.{SocketPort}.lock")) < 100
            ? RunDir
            : Path.Combine(Path.GetTempPath(), "mzemu-" + Convert.ToHexString(
                System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(DataRoot)))[..12].ToLowerInvariant());
    }

    public string DataRoot { get; }
    public string PgData { get; }
    public string RunDir { get; }
    public string SocketDir { get; }
    public string LogFile => Path.Combine(RunDir, "postgres.log");
    public string SocketPath => Path.Combine(SocketDir, $".s.PGSQL.{SocketPort}");

    /// <summary>True when <see cref="StartAsync"/> ran initdb (a fresh cluster that needs bootstrapping).</summary>
    public bool Initialized { get; private set; }

    /// <summary>
    /// A stopped emulator's data folder: a data folder without a cluster gets a copy of its <c>pgdata</c> instead of
    /// initdb (about a tenth of the time, and the copy is already bootstrapped). Null or unusable: initdb.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>Npgsql connection string for the emulator's own (superuser) connections.</summary>
    public string AdminConnectionString =>
        $"Host={SocketDir};Port={SocketPort};Username={AdminUser};Database={DatabaseName};Pooling=true;Maximum Pool Size=4;Timeout=15";

    /// <summary>Initialises the cluster when needed and starts it; returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var program in new[] { "initdb", "pg_ctl", "postgres" })
        {
            if (!File.Exists(Path.Combine(_binDir, program)))
                throw new EmulatorException(
                    $"PostgreSQL 15 is not installed: {Path.Combine(_binDir, program)} does not exist " +
                    "(install the postgresql-15 package, or set MZ_EMULATOR_PG_BIN to its bin folder).");
        }

        Directory.CreateDirectory(DataRoot);
        if (_asRoot)
        {
            // The server user must be able to traverse the (possibly root-owned, mode 700) data folder.
            var mode = File.GetUnixFileMode(DataRoot);
            File.SetUnixFileMode(DataRoot, mode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        PrepareServerDirectory(RunDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        if (SocketDir != RunDir)
            PrepareServerDirectory(SocketDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        if (!File.Exists(Path.Combine(PgData, "PG_VERSION")))
        {
            if (Directory.Exists(PgData) && Directory.EnumerateFileSystemEntries(PgData).Any())
                throw new EmulatorException($"{PgData} exists but holds no PostgreSQL cluster; empty or remove it.");
            PrepareServerDirectory(PgData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(Path.Combine(PgData, "PG_VERSION")) && TemplateCluster() is { } template)
        {
            CopyCluster(template, PgData);
        }
        else if (!File.Exists(Path.Combine(PgData, "PG_VERSION")))
        {
            await RunAsync("initdb", ["-D", PgData, "-U", AdminUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
                    // 1 MB WAL segments instead of 16: a fresh cluster then holds 16 MB less, which the private sandbox copies on every start.
                    "--wal-segsize=1"],
                "initdb failed", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(PgData, "pg_hba.conf"), HbaConf, cancellationToken);
            if (_asRoot)
                Chown(Path.Combine(PgData, "pg_hba.conf"));
            Initialized = true;
        }

        // timezone=UTC: Materialize's session time zone is always UTC, so timestamp text and milliseconds since the epoch
        // (mz_timestamp) name the same instant whatever zone the machine is in.
        var serverOptions = string.Join(' ',
            "-p", SocketPort.ToString(), "-k", ShellQuote(SocketDir), "-c", "listen_addresses=''",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200", "-c", "password_encryption=scram-sha-256", "-c", "timezone=UTC");
        await RunAsync("pg_ctl", ["-D", PgData, "-l", LogFile, "-w", "-t", "60", "-o", serverOptions, "start"],
            "PostgreSQL did not start", cancellationToken);
        StartWatchdog();
    }

    /// <summary>
    /// PostgreSQL must stop with the emulator even when the emulator dies without running its shutdown
    /// (SIGKILL, a stack overflow in a session thread): a small shell in a session of its own polls the
    /// emulator's process and, once it is gone, asks this postmaster (the pid it started with, and only
    /// while postmaster.pid still names it) for a fast shutdown (SIGINT). After a clean stop the pid file
    /// is gone and the watchdog just exits.
    /// </summary>
    private void StartWatchdog()
    {
        var pidFile = Path.Combine(PgData, "postmaster.pid");
        string? postmaster;
        try
        {
            postmaster = File.ReadLines(pidFile).FirstOrDefault()?.Trim();
        }
        catch (IOException)
        {
            return;
        }
        if (string.IsNullOrEmpty(postmaster) || !int.TryParse(postmaster, out _))
            return;
        const string script =
            "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; " +
            "[ \"$(head -n 1 \"$3\" 2>/dev/null)\" = \"$2\" ] && kill -INT \"$2\"";
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "sh", "-c", script, "mz-emulator-watchdog", Environment.ProcessId.ToString(), postmaster, pidFile })
            start.ArgumentList.Add(a);
        try
        {
            using var watchdog = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid: the emulator still stops PostgreSQL on every orderly exit.
        }
    }

    // The template's cluster when it is one that was stopped cleanly (no postmaster.pid: a running or crashed
    // server's files are not a consistent copy).
    private string? TemplateCluster()
    {
        if (Template is null)
            return null;
        var pgdata = Path.Combine(Path.GetFullPath(Template), "pgdata");
        return File.Exists(Path.Combine(pgdata, "PG_VERSION")) && !File.Exists(Path.Combine(pgdata, "postmaster.pid")) ? pgdata : null;
    }

    // Files keep their modes (PostgreSQL refuses a group-readable data folder); as root every copy is handed to the
    // server user, as initdb would have made it.
    private void CopyCluster(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, directory));
            Directory.CreateDirectory(copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(directory));
            if (_asRoot)
                Chown(copy);
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(file));
            if (_asRoot)
                Chown(copy);
        }
    }

    /// <summary>Stops the server (fast shutdown: open sessions are rolled back). Safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (!File.Exists(Path.Combine(PgData, "postmaster.pid")))
            return;
        await RunAsync("pg_ctl", ["-D", PgData, "-m", "fast", "-w", "-t", "60", "stop"], "PostgreSQL did not stop",
            CancellationToken.None, ignoreFailure: true);
    }

    // Local connections only (there is no TCP listener). The emulator's own user and the Materialize
    // superuser log in without a password; every other role needs its password, which the proxy relays.
    private const string HbaConf =
        "# Written by the MzDeploy emulator.\n" +
        "local all postgres trust\n" +
        "local all materialize trust\n" +
        "local all all scram-sha-256\n";

    private void PrepareServerDirectory(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        if (_asRoot)
            Chown(path);
        File.SetUnixFileMode(path, mode);
    }

    private static void Chown(string path)
    {
        if (Native.getpwnam(ServerUser) is var pw && pw == IntPtr.Zero)
            throw new EmulatorException($"running as root needs the unprivileged user '{ServerUser}', which does not exist.");
        var passwd = Marshal.PtrToStructure<Native.Passwd>(pw);
        if (Native.chown(path, passwd.pw_uid, passwd.pw_gid) != 0)
            throw new EmulatorException($"cannot hand {path} to user '{ServerUser}' (errno {Marshal.GetLastPInvokeError()}).");
    }

    private async Task RunAsync(string program, string[] arguments, string failure, CancellationToken cancellationToken,
        bool ignoreFailure = false)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _asRoot ? "/" : DataRoot,
        };
        if (_asRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", ServerUser, "--", Path.Combine(_binDir, program) })
                start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = Path.Combine(_binDir, program);
        }
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new EmulatorException($"cannot start {program}");
        // pg_ctl start leaves postgres running with our pipes inherited: read to EOF would hang, so wait for exit only.
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && !ignoreFailure)
        {
            string output;
            lock (stderr)
            {
                lock (stdout)
                {
                    output = (stderr.ToString() + stdout).Trim();
                }
            }

            throw new EmulatorException($"{failure} ({program} exited with {process.ExitCode}): {output}{LogTail()}");
        }
    }

    private string LogTail()
    {
        try
        {
            if (!File.Exists(LogFile))
                return "";
            var lines = File.ReadAllLines(LogFile);
            return "\n" + LogFile + ":\n" + string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 10)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private static class Native
    {
        [StructLayout(LayoutKind.Sequential)]
        public struct Passwd
        {
            public IntPtr pw_name;
            public IntPtr pw_passwd;
            public uint pw_uid;
            public uint pw_gid;
            public IntPtr pw_gecos;
            public IntPtr pw_dir;
            public IntPtr pw_shell;
        }

        [DllImport("libc", SetLastError = true)]
        public static extern uint geteuid();

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr getpwnam(string name);

        [DllImport("libc", SetLastError = true)]
        public static extern int chown(string path, uint owner, uint group);
    }
}

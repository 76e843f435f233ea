using CbbServer.Hosting;

return await ServerApp.RunAsync(args);

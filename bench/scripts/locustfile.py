# Memory per user for Locust, the same load as Volley's sleepers: every user makes one keep-alive
# request to "/", then waits 1 s. bench/run.mjs names the class to run on Locust's command line:
# Sleeper (default, HttpUser: Locust's default user class, a requests.Session each) or FastSleeper
# (--locust-user fast: FastHttpUser, geventhttpclient, lighter per request).
from locust import HttpUser, task, constant
from locust.contrib.fasthttp import FastHttpUser


class Sleeper(HttpUser):
    wait_time = constant(1)

    @task
    def get(self):
        self.client.get("/")


class FastSleeper(FastHttpUser):
    wait_time = constant(1)

    @task
    def get(self):
        self.client.get("/")

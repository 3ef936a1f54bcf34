# Memory per user for Locust, the same load as Volley's sleepers: every user makes one keep-alive
# request to "/", then waits 1 s. HttpUser is Locust's default user class (a requests.Session each).
from locust import HttpUser, task, constant


class Sleeper(HttpUser):
    wait_time = constant(1)

    @task
    def get(self):
        self.client.get("/")
